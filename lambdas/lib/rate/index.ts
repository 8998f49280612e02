export { observeTargetHealth, NO_HEALTH, THROTTLE_ERRORS, type BatchHealth, type TargetHealthObserver, type WriteTurns } from './observeTargetHealth';
export { WriteRateLimiter, realSleep, type Sleeper, type WriteRateLimiterOptions } from './WriteRateLimiter';
