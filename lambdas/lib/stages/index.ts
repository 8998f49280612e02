export { PlannedStageSchema, CANARY_STAGE_NAME, type PlannedStage, type StageKind } from './PlannedStage';
export { planStages, type StagedPlan } from './planStages';
