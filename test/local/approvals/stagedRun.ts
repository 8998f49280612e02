import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { DeliveredApprovalMessage } from '../../../local/approvals/outboxNotifier';
import { localSfnClient } from '../../../local/cloud/cloudExecution';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../../local/cloud/startLocalCloud';
import { waitFor } from '../../support';

/** examples/orders-staged-spec.json: the demo with a canary, waves [50, 100], a change band and one approver. */
export const STAGED_SPEC = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'examples', 'orders-staged-spec.json'), 'utf8')) as Record<string, unknown>;

/** The staged demo over a small dataset: batches of 250, so the canary is one of several batches. */
export const stagedSpec = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ ...STAGED_SPEC, batchSize: 250, leaseSeconds: 5, ...overrides });

/** A local cloud whose delivered approval messages are collected, with an SFN client on it. */
export interface StagedCloud {
  readonly cloud: LocalCloud;
  readonly sfn: SFNClient;
  readonly messages: DeliveredApprovalMessage[];
  close(): Promise<void>;
}

/** Starts a local cloud (seeded with `records` demo records) that collects the approval messages the outbox delivers. */
export async function startStagedCloud(options: { records: number; dataDir?: string } & Partial<LocalCloudOptions>): Promise<StagedCloud> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const messages: DeliveredApprovalMessage[] = [];
  const cloud = await startLocalCloud({ codeVersion: 'test', ...options, demo: { records: options.records }, onApprovalMessage: (message) => messages.push(message) });
  const sfn = localSfnClient(cloud);
  return {
    cloud,
    sfn,
    messages,
    close: async () => {
      sfn.destroy();
      await cloud.close({ drainMs: 5_000 });
    },
  };
}

/** Starts the Backfill execution of `spec` named `runId`; returns its ARN. */
export async function startStagedRun(staged: StagedCloud, spec: Record<string, unknown>, runId: string): Promise<string> {
  const started = await staged.sfn.send(new StartExecutionCommand({ stateMachineArn: staged.cloud.endpoints.resources.backfillStateMachineArn, name: runId, input: JSON.stringify({ startedBy: 'local:starter', ...spec, runId }) }));
  return started.executionArn!;
}

/** The execution's status; throws when it ended other than `allowed` (fail fast in waitFor). */
async function stillRunning(staged: StagedCloud, executionArn: string): Promise<void> {
  const described = await staged.sfn.send(new DescribeExecutionCommand({ executionArn }));
  if (described.status !== 'RUNNING') throw new Error(`execution ${executionArn} ended ${described.status} (${described.error ?? ''}: ${described.cause ?? ''}) while an approval message was awaited`);
}

/** Waits for the `count`-th approval message (1-based) while the execution runs. */
export async function approvalMessage(staged: StagedCloud, executionArn: string, count = 1): Promise<DeliveredApprovalMessage & { link: string }> {
  const message = await waitFor(
    async () => {
      if (staged.messages.length >= count) return staged.messages[count - 1];
      await stillRunning(staged, executionArn);
      return undefined;
    },
    { describe: `approval message ${count} of ${executionArn}`, timeoutMs: 120_000, intervalMs: 100 },
  );
  if (!message.link) throw new Error(`approval message ${message.file} names no link on the local page`);
  return message as DeliveredApprovalMessage & { link: string };
}
