export { decideAfterMap, FAILURES_ACTOR, type AfterMapInput } from './decideAfterMap';
export { awaitOperator, notifyPaused } from './awaitOperator';
export { markAborted, abortAfterTimeout, PAUSE_TIMEOUT_ACTOR, type AbortedRun } from './markAborted';
export { leftBatches, type MapBatches } from './leftBatches';
export { GateError, RunAlreadyResumedError, RunAbortedWhilePausingError, RunNotGatableError } from './errors';
export type { GateDecision, GateNext, GateTrigger } from './GateDecision';
