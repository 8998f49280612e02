import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENDPOINTS_FILE } from '../../../local/cloud/endpoints';
import { startLocalCloud, type LocalCloudOptions } from '../../../local/cloud/startLocalCloud';
import type { StepFunctionsServer } from '../../../local/cloud/stepfunctions';
import type { LocalEnvironment } from '../../../local/runtime/LocalEnvironment';

/** The local cloud in this process, and a data dir whose endpoints.json names it. */
export interface InProcessLocalCloud {
  readonly env: LocalEnvironment;
  readonly server: StepFunctionsServer;
  /** A data dir whose endpoints.json names this cloud: give it to `--local`. */
  readonly dir: string;
  close(): Promise<void>;
}

/**
 * What `backfill local up` serves (startLocalCloud), in this process and in memory, with the demo
 * seeded with `records`; its endpoints.json is written to a fresh dir for `--local DIR`.
 */
export async function startInProcessLocalCloud(records: number, options: Pick<LocalCloudOptions, 'onExecutionEnded'> = {}): Promise<InProcessLocalCloud> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const cloud = await startLocalCloud({ demo: { records }, codeVersion: 'test', ...options });
  const dir = mkdtempSync(join(tmpdir(), 'backfill-cli-'));
  writeFileSync(join(dir, ENDPOINTS_FILE), JSON.stringify(cloud.endpoints));
  return { env: cloud.env, server: cloud.stepFunctions, dir, close: () => cloud.close({ drainMs: 2000 }) };
}
