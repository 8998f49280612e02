export { PlannedStageSchema, CANARY_STAGE_NAME, type PlannedStage, type StageKind } from './PlannedStage';
export { planStages, type StagedPlan } from './planStages';
export { nextStage, type NextStage } from './nextStage';
export { completeStage, type StageApproval } from './completeStage';
export { StageError, PlanHasNoStagesError, StageRejectedError, ApprovalNotGrantedError } from './errors';
