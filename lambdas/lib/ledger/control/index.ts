export { requestPause, markRunPaused, requestResume } from './pauseRecords';
export { requestAbort, markRunAborted, markRunStoppedByPolicy } from './abortRecords';
export { readGate, type Gate } from './readGate';
export { BreakerOpenError } from './errors';
export type { RunControl, ControlTrigger } from './RunControl';
