export { gateStage, type StageGateResult } from './gateStage';
export { validateStage, type WrittenEvidence, type ValidateStageInput, type ValidateStageOptions } from './validateStage';
export { recheckSelection, WAVE_RECHECK_BATCHES } from './recheckDeterminism';
export { StageValidationError, StageGateFailedError, StageIncompleteError, StageOutsidePlanError } from './errors';
