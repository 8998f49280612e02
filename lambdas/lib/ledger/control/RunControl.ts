/** What shut the gate of a run: an operator, the breaker, or failures past the tolerance. */
export type ControlTrigger = 'operator' | 'breaker' | 'failures';

/**
 * A pause or an abort in force on a run (the run record's `control`): who asked, why, when, and
 * while PAUSED the task token its workflow waits on (never logged).
 */
export interface RunControl {
  readonly action: 'pause' | 'abort';
  readonly trigger: ControlTrigger;
  readonly by: string;
  readonly reason: string;
  readonly at: string;
  /** An abort that rolls back what the run wrote once it drained. */
  readonly rollback?: boolean;
  /** Only while PAUSED: the token WaitForOperator waits on. */
  readonly taskToken?: string;
}
