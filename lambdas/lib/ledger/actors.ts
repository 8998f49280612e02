/**
 * Who did something, as the run record (`startedBy`, `stoppedBy`) and the audit trail (`actor`)
 * name it when the caller said nobody: the backfill CLI always says who (an IAM ARN on AWS,
 * `local:<os user>` locally, `scheduler:<schedule name>` from a schedule).
 */

/** The starter of a run whose execution input has no `startedBy` (pasted in the console, say). */
export const UNKNOWN_STARTER = 'unknown (started without the backfill CLI)';

/** The operator of a stop whose cause is not the backfill CLI's (the console's Stop button, another tool). */
export const UNKNOWN_STOPPER = 'unknown (stopped without the backfill CLI)';

/** The operator of a rollback whose input has no `requestedBy`. */
export const UNKNOWN_REQUESTER = 'unknown (rolled back without the backfill CLI)';

/** Step Functions itself: the actor of an execution's timeout or failure. */
export const SERVICE_ACTOR = 'aws.states';
