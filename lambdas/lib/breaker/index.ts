export { readBreaker, CLOSED_BREAKER, BREAKER_PK, BREAKER_SK, type BreakerRecord, type BreakerAlarm, type TriggeringAlarm } from './BreakerRecord';
export { openBreaker, type OpenBreakerRequest, type BreakerChange } from './openBreaker';
export { closeBreaker, closeBreakerIfOkFor, AUTO_CLOSE_ACTOR } from './closeBreaker';
export { recordAlarmOk, type AlarmOk } from './recordAlarmOk';
export { listBreakerAudit, type BreakerAuditEvent, type BreakerAuditType } from './breakerAudit';
export { operationsNotifierFromEnvironment, operationsNotifierOf, type OperationsNotifier } from './OperationsNotifier';
export { autoCloseAfterSecondsFrom } from './autoCloseAfterSecondsFrom';
export { breakerOpenedMessage, breakerAutoClosedMessage } from './breakerMessages';
export { BreakerError, BreakerOpenError, OperationsConfigurationError, BreakerConfigurationError } from './errors';
