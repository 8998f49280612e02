import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { BatchRecord } from '../../lambdas/lib/ledger';
import { listFirstFailures } from '../../lambdas/lib/run';
import { cutText } from '../../lambdas/lib/text/cutText';
import { readJsonObject, readResultFiles } from '../../lambdas/lib/rollback';

/** FAILED files larger than this are pointed to, not read: the CLI's memory stays bounded. */
export const FAILED_RESULTS_MAX_BYTES = 1_048_576;
const CAUSE_CHARS = 300;

/** A failed child as the ResultWriter exports it: Input is the child's input as a JSON string. */
const FailedEntrySchema = z.object({ Error: z.string().optional(), Cause: z.string().optional(), Input: z.string() });
const ChildInputSchema = z.object({ Items: z.array(z.object({ batchId: z.string() })) });

function batchIdsOf(input: string): string[] {
  try {
    return ChildInputSchema.parse(JSON.parse(input)).Items.map((item) => item.batchId);
  } catch {
    return [];
  }
}

/** One section per FAILED file of a Map Run's results, for the children whose batches recorded no error. */
async function describeFailedFiles(s3: S3Client, bucket: string, manifestKey: string, recorded: ReadonlySet<string>): Promise<string[]> {
  const sections: string[] = [];
  for (const file of (await readResultFiles(s3, bucket, manifestKey)).FAILED) {
    const where = `s3://${bucket}/${file.Key}`;
    if ((file.Size ?? 0) > FAILED_RESULTS_MAX_BYTES) {
      sections.push(`the Map Run's failed children are in ${where} (${file.Size} bytes, not read here)`);
      continue;
    }
    const lines = z
      .array(FailedEntrySchema)
      .parse(await readJsonObject(s3, bucket, file.Key))
      .map((entry) => ({ entry, batchIds: batchIdsOf(entry.Input) }))
      .filter(({ batchIds }) => !batchIds.some((id) => recorded.has(id)))
      .map(({ entry, batchIds }) => `${batchIds.join(', ') || '(no batch ids)'}: ${entry.Error ?? 'States.Runtime'}: ${cutText(entry.Cause ?? '', CAUSE_CHARS)}`)
      .sort();
    if (lines.length === 0) continue;
    sections.push(`${lines.length} child${lines.length === 1 ? '' : 'ren'} of the Map Run failed without a batch error (${where}):\n${listFirstFailures(lines)}`);
  }
  return sections;
}

/**
 * The Map Run's failed children whose batches recorded no error in the ledger (a child that failed
 * before claiming, or whose worker died), read from the ResultWriter's FAILED files, as text: how
 * many, then the first few with their batch ids and the child's Error and Cause. Undefined when
 * every failed child's batch recorded its error (the run's Cause names those already).
 * @example
 *   const text = await describeUnrecordedChildFailures(s3, outcome.stats, await listBatches(deps, runId));
 */
export async function describeUnrecordedChildFailures(
  s3: S3Client,
  execution: { readonly mapRuns: ReadonlyArray<{ readonly status: string; readonly resultManifest?: string }> },
  batches: readonly BatchRecord[],
): Promise<string | undefined> {
  const recorded = new Set(batches.filter((b) => b.status === 'FAILED').map((b) => b.batchId));
  const sections: string[] = [];
  for (const mapRun of execution.mapRuns) {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(mapRun.resultManifest ?? '');
    if (mapRun.status !== 'FAILED' || !match) continue;
    const [, bucket, manifestKey] = match as unknown as [string, string, string];
    try {
      sections.push(...(await describeFailedFiles(s3, bucket, manifestKey, recorded)));
    } catch (error) {
      // The run's own error is what matters: a results file that cannot be read must not hide it.
      sections.push(`could not read the Map Run's failed children from s3://${bucket}/${manifestKey}: ${(error as Error).message}`);
    }
  }
  return sections.length === 0 ? undefined : sections.join('\n');
}
