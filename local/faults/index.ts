export { FaultInjectionError, FaultProxyPortError, FaultSpecError } from './errors';
export { DEFAULT_FAULT_SEED, describeFaultSpec, parseFaultSpec, type FaultSpec } from './faultSpec';
export { internalServerErrorAnswer, tablesNamedBy, throttlingAnswer, type DynamoDbAnswer } from './dynamoDbAnswers';
export { startFaultProxy, type FaultProxy, type FaultProxyOptions, type ProxiedRequest, type RequestFate } from './startFaultProxy';
