export { observeTargetHealth, NO_HEALTH, THROTTLE_ERRORS, type BatchHealth, type TargetHealthObserver, type WriteTurns } from './observeTargetHealth';
export { WriteRateLimiter, realSleep, type Sleeper, type WriteRateLimiterOptions } from './WriteRateLimiter';
export { nextConcurrency, DEFAULT_AIMD_RULE, type AimdRule, type AimdState, type ConcurrencyDecision } from './aimd';
export { readController, CONTROLLER_ACTOR, CONTROLLER_SK, KEPT_CHANGES, type ControllerRecord, type ConcurrencyChange } from './controllerRecord';
export { reportBatchHealth, type BatchHealthReport, type BatchHealthAnswer } from './reportBatchHealth';
export { followRunningMapRun, type FollowedMapRun, type MapRunToFollow } from './followRunningMapRun';
export { runningMapRun, setMapRunConcurrency } from './runningMapRun';
export { RateControlError, MapRunUpdateError, InvalidMapRunConcurrencyError } from './errors';
export { startWriteRateControl, type WriteRateControl, type WriteRateControlOptions, type WriteRateSettings } from './startWriteRateControl';
