import type { ControlTrigger } from '../ledger';

/**
 * What the workflow does after a distributed Map (CheckGate's `next`):
 * `continue` — every batch of the map settled and the gate open (Finalize / ValidateStage);
 * `rerun` — the gate is open again but batches were left (gated): run the same Map again;
 * `pause` — wait for an operator (WaitForOperator); `stop` — end STOPPED; `rollback` — roll the
 * run back through the rollback state machine; `abort` — end ABORTED (rolled back with `abortRollback`).
 */
export type GateNext = 'continue' | 'rerun' | 'pause' | 'stop' | 'rollback' | 'abort';

/** Who or what shut the gate, and why (on the run record, in the audit trail and the execution's output). */
export interface GateTrigger {
  readonly kind: ControlTrigger;
  readonly by: string;
  readonly reason: string;
}

/** CheckGate's output, the state's `$.gate`. */
export interface GateDecision {
  readonly next: GateNext;
  readonly abortRollback?: boolean;
  readonly trigger?: GateTrigger;
  /** WaitForOperator's TimeoutSecondsPath: the spec's pauseTimeoutSeconds, or the default. */
  readonly pauseTimeoutSeconds: number;
  /** For `stop` and `abort`: the Cause of the execution's end (who or what, and why). */
  readonly cause?: string;
}
