import { readFileSync, writeFileSync } from 'node:fs';
import type { Job, JobResult } from '../jobs';
import { backfillJob } from './backfillJob';
import { seedFixture, seedSourceFixture } from './fixtures';
import { planJob } from './planJob';
import { gateOverheadJob } from '../gate/gateOverheadJob';
import { throttleRecoveryJob } from '../gate/throttleRecoveryJob';

/**
 * One measurement in its own process, so its peak RSS is its own:
 * `node --import tsx bench/child/main.ts <job.json> <result.json>` (the bench starts it).
 */
async function main(): Promise<void> {
  const [jobFile, resultFile] = process.argv.slice(2);
  if (!jobFile || !resultFile) throw new Error('usage: bench/child/main.ts <job.json> <result.json>');
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as Job;
  writeFileSync(resultFile, JSON.stringify(await run(job)));
}

function run(job: Job): Promise<JobResult> {
  switch (job.kind) {
    case 'seed':
      return seedFixture(job.dataDir, job.records);
    case 'seed-source':
      return seedSourceFixture(job.dataDir, job.records);
    case 'backfill':
      return backfillJob(job);
    case 'plan':
      return planJob(job);
    case 'gate-overhead':
      return gateOverheadJob(job);
    case 'throttle-recovery':
      return throttleRecoveryJob(job);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
