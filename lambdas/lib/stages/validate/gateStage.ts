import { recordStageValidation } from '../../ledger';
import type { Deps } from '../../runtime/Deps';
import { StageGateFailedError } from './errors';
import { validateStage, type ValidateStageInput, type ValidateStageOptions } from './validateStage';

/** ValidateStage's output into the state (`$.validation`). */
export interface StageGateResult {
  readonly stage: string;
  readonly passed: true;
  readonly evidenceKey: string;
  readonly evidenceHtmlKey: string;
  /** The canary of an apply run whose spec names approvers waits for them; every other stage goes on. */
  readonly approvalNeeded: boolean;
}

/**
 * The gate after a stage: writes its evidence (see {@link validateStage}), records the verdict on
 * the stage (RUNNING → VALIDATED or GATE_FAILED, with the evidence key and failures), and passes
 * it, or fails it by throwing, so the run stops before the next stage with the evidence named.
 *
 * @throws StageGateFailedError (name `StageGateFailed`) naming each failure and the evidence key.
 * @throws StageTransitionError when the stage is not RUNNING (NextStage begins it).
 * @example
 *   const { approvalNeeded } = await gateStage(deps, { runId, spec, plan, stage });
 */
export async function gateStage(deps: Deps, input: ValidateStageInput, options: ValidateStageOptions = {}): Promise<StageGateResult> {
  const { runId, spec, stage } = input;
  const { evidence, evidenceKey, evidenceHtmlKey } = await validateStage(deps, input, options);
  await recordStageValidation(deps, { runId, stage, passed: evidence.passed, evidenceKey, failures: evidence.failures });
  if (!evidence.passed) throw new StageGateFailedError(runId, stage.name, evidence.failures, evidenceKey);
  const approvalNeeded = stage.kind === 'canary' && spec.approval !== undefined && spec.mode === 'apply';
  return { stage: stage.name, passed: true, evidenceKey, evidenceHtmlKey, approvalNeeded };
}
