export { requestPause, markRunPaused, requestResume, type PauseRequest, type ResumeResult } from './pauseRecords';
export { requestAbort, markRunAborted, type AbortRequest, type AbortResult } from './abortRecords';
export { markRunStoppedByPolicy, type PolicyStop } from './markRunStoppedByPolicy';
export { readGate, type Gate } from './readGate';
export { withoutTaskToken, type RunControl, type ControlTrigger } from './RunControl';
export { dropTaskToken, releaseTaskToken } from './taskTokenRecords';
