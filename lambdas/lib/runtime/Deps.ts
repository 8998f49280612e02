import type { ApprovalServices } from '../approval/ApprovalServices';
import type { AwsClients } from '../aws/clients';
import type { OperationsNotifier } from '../breaker/OperationsNotifier';
import type { Clock } from './Clock';

/**
 * What every domain function needs from its surroundings. Handlers build it from the Lambda
 * environment; tests and the local runtime build it around emulator clients.
 */
export interface Deps {
  readonly clients: AwsClients;
  readonly ledgerTable: string;
  readonly artifactsBucket: string;
  readonly clock: Clock;
  /** Version of the orchestrator code, pinned on the run record. */
  readonly codeVersion: string;
  /**
   * Set by the local runtime for a rehearsal while it holds the data dir's lock: every lease in the
   * ledger is then of a process that is gone, which the rollback takes over at start, so the
   * rehearsal judges those batches as the rollback would, not as held. Never set on AWS. @default false
   */
  readonly leaseHoldersGone?: boolean;
  /**
   * Step Functions, the notifier, the signing key and the page URL of the approval handlers; the
   * local runtime injects its own. Absent on AWS: the approval handlers build it from their environment.
   */
  readonly approvals?: ApprovalServices;
  /** The operations topic (breaker and paused-run notices); absent: nobody is notified. */
  readonly operations?: OperationsNotifier;
}
