import type { ApprovalServices } from '../approval/ApprovalServices';
import type { AwsClients } from '../aws/clients';
import type { OperationsNotifier } from '../breaker/OperationsNotifier';
import type { Clock } from './Clock';
import type { WriteRateSettings } from '../rate/startWriteRateControl';
import type { MetricsSink } from '../observability';

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
   * Where the handlers' EMF documents go instead of stdout: the local runtime captures them for its
   * alarms. Absent on AWS: stdout, which CloudWatch Logs turns into metrics.
   */
  readonly metricsSink?: MetricsSink;
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
  /** The write-rate controller's timing and the limiter's sleeper (tests, the bench). @default - DEFAULT_AIMD_RULE, real timers */
  readonly writeRate?: WriteRateSettings;
  /**
   * Where operations messages go (the breaker opened, a run paused); the local runtime injects its
   * outbox. Absent on AWS: built from OPERATIONS_TOPIC_ARN (operationsNotifierOf).
   */
  readonly operations?: OperationsNotifier;
}
