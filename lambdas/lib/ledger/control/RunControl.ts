/** Who or what shut a run's gate: an operator's command, the breaker, or failures past the tolerance (CheckGate's policy). */
export type ControlTrigger = 'operator' | 'breaker' | 'failures';

/**
 * A pause or abort asked of a run (`control` on the run record): who, why, what triggered it and
 * when. Set by requestPause / requestAbort, cleared by requestResume (and by StartRun's resume of an
 * ended run).
 */
export interface RunControl {
  readonly action: 'pause' | 'abort';
  readonly trigger: ControlTrigger;
  readonly by: string;
  readonly reason: string;
  readonly at: string;
  /** An abort that rolls back what the run wrote (abort --rollback). */
  readonly rollback?: boolean;
  /**
   * The task token the paused workflow waits on (WaitForOperator); only while PAUSED. A secret: it
   * releases the workflow, so it is never logged, audited or shown.
   */
  readonly taskToken?: string;
}

/**
 * The control without its task token: what may be audited, logged or shown.
 * @example
 *   await appendAudit(deps, { runId, type: 'RunPaused', detail: withoutTaskToken(run.control) });
 */
export function withoutTaskToken(control: RunControl): Omit<RunControl, 'taskToken'> {
  const { taskToken: _secret, ...shown } = control;
  return shown;
}
