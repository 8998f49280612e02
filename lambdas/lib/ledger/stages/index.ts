export { beginStage, recordStageValidation, markStageAwaitingApproval, recordStageDecision, markStagePassed, type StageValidation, type StageDecision } from './stageMoves';
export { listStages, type StageRecord, type RunStage } from './StageRecord';
