export { gateStage, type StageGateResult } from './gateStage';
export { validateStage, type StageValidation, type ValidateStageInput, type ValidateStageOptions } from './validateStage';
export { StageToValidateSchema, type StageToValidate } from './StageToValidate';
export { recheckSelection, WAVE_RECHECK_BATCHES } from './recheckDeterminism';
export { StageValidationError, StageGateFailedError, StageIncompleteError, StageOutsidePlanError } from './errors';
