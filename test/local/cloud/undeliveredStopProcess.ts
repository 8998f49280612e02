/**
 * A local cloud on a data dir whose EventBridge rule target never answers, for the kill -9 test of
 * the owed status-change event: prints `endpoints <json>` once serving, `worker` when the first
 * batch starts (it is held there) and `delivering <status> <executionArn>` when an ended execution's
 * event reaches the target, which then hangs: the process is killed before the event is delivered.
 * Usage: node --import tsx undeliveredStopProcess.ts <dataDir>
 */
import { startLocalCloud } from '../../../local/cloud/startLocalCloud';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const never = new Promise<never>(() => undefined);

async function main(dataDir: string): Promise<void> {
  const cloud = await startLocalCloud({
    dataDir,
    codeVersion: 'test',
    demo: { records: 300 },
    wrapTaskHandler: (name, handler) =>
      name === 'worker'
        ? async () => {
            process.stdout.write('worker\n');
            return never;
          }
        : handler,
    onExecutionEnded: async (event) => {
      process.stdout.write(`delivering ${event.detail.status} ${event.detail.executionArn}\n`);
      return never;
    },
  });
  process.stdout.write(`endpoints ${JSON.stringify(cloud.endpoints)}\n`);
}

void main(process.argv[2]);
