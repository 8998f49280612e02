export { readBreaker } from './readBreaker';
export { openBreaker, type OpenBreakerRequest } from './openBreaker';
export { BREAKER_PK, BREAKER_SK, CLOSED_BREAKER, type BreakerRecord, type BreakerState } from './BreakerRecord';
export type { OperationsNotifier } from './OperationsNotifier';
