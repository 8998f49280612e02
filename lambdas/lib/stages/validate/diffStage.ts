import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DiffSummarySchema, goldenCheck, parseGolden, type DiffSummary, type GoldenChecker, type StageEvidence } from '../../evidence';
import type { BatchRecord } from '../../ledger';
import type { Deps } from '../../runtime/Deps';
import type { Spec } from '../../spec';
import { addSnapshotEntries, mapWithConcurrency, readSnapshot, stageDiff, withoutStamp } from '../../worker';

/** Snapshots read at once. */
const SNAPSHOT_CONCURRENCY = 4;

/** The diff and golden sections of a stage's evidence. */
export interface StageDiff {
  readonly diff: StageEvidence['diff'];
  readonly golden?: StageEvidence['golden'];
}

/**
 * Diffs what the stage writes against what the target held: pre-image → intended image per
 * attribute, stamps left out. A key the batch left alone (unchanged, or newer in the target)
 * diffs as its pre-image, unchanged. Each batch's part comes from the summary its worker recorded
 * (`evidence.diffSummary`); a batch without a usable one (older code, too big, fewer samples than
 * asked) is diffed from its snapshot (in a dry-run, the shadow the worker leaves), as are all of
 * them for the golden check, which needs the items themselves. With `validation.golden`, every
 * golden key the stage produced must equal its golden item; golden keys the stage did not produce
 * belong to other stages and are listed as missing without failing this one. A batch without a
 * snapshot is skipped (it produced nothing).
 *
 * @example
 *   const { diff, golden } = await diffStage(deps, { runId, spec }, records);
 *   diff.attributes.find((a) => a.attribute === 'totalCents')?.shift; // { before: 1998, after: 1999 }
 */
export async function diffStage(deps: Pick<Deps, 'clients' | 'artifactsBucket'>, run: { readonly runId: string; readonly spec: Spec }, records: readonly BatchRecord[]): Promise<StageDiff> {
  const { spec } = run;
  const sampleSize = spec.validation?.sampleSize ?? 20;
  const goldenUri = spec.validation?.golden;
  const keyAttributes = [spec.target.partitionKey, ...(spec.target.sortKey ? [spec.target.sortKey] : [])];
  const diff = stageDiff(spec);
  const checker: GoldenChecker | undefined = goldenUri === undefined ? undefined : goldenCheck(parseGolden(await readText(deps, goldenUri), keyAttributes), { maxSamples: sampleSize });
  const unsummarized = new Set<BatchRecord>();
  for (const record of records) {
    const summary = summaryOf(record);
    if (summary !== undefined && diff.canMerge(summary)) diff.merge(summary);
    else unsummarized.add(record);
  }
  const toRead = records.filter((record) => record.snapshot !== undefined && (checker !== undefined || unsummarized.has(record)));
  await mapWithConcurrency(toRead, SNAPSHOT_CONCURRENCY, async (record) => {
    const entries = await readSnapshot(deps.clients.s3, deps.artifactsBucket, { runId: run.runId, batchId: record.batchId }, record.snapshot!);
    if (unsummarized.has(record)) addSnapshotEntries(diff, entries);
    if (checker === undefined) return;
    for (const { preImage, intended } of entries) {
      const after = intended ?? preImage;
      if (after !== null) checker.add(withoutStamp(after));
    }
  });
  if (checker === undefined || goldenUri === undefined) return { diff: diff.result() };
  const { passed: _allFound, ...result } = checker.result();
  return { diff: diff.result(), golden: { uri: goldenUri, ...result, passed: result.mismatched === 0 } };
}

/** The batch's recorded diff summary; undefined when it has none or it does not parse (then its snapshot is read). */
function summaryOf(record: BatchRecord): DiffSummary | undefined {
  const text = record.evidence?.diffSummary;
  if (text === undefined) return undefined;
  try {
    const parsed = DiffSummarySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function readText(deps: Pick<Deps, 'clients'>, uri: string): Promise<string> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)!;
  const response = await deps.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return response.Body!.transformToString('utf8');
}
