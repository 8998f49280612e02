import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { TargetItem } from '../../../transforms/Transform';
import { GoldenDiff, goldenCheck, parseGolden, type GoldenChecker, type StageEvidence } from '../../evidence';
import type { BatchRecord } from '../../ledger';
import type { Deps } from '../../runtime/Deps';
import type { Spec } from '../../spec';
import { mapWithConcurrency, readSnapshot, withoutStamp } from '../../worker';

/** Snapshots read at once. */
const SNAPSHOT_CONCURRENCY = 4;

/** The diff and golden sections of a stage's evidence. */
export interface StageDiff {
  readonly diff: StageEvidence['diff'];
  readonly golden?: StageEvidence['golden'];
}

/**
 * Diffs what the stage writes against what the target held, from the stage's snapshots (in a
 * dry-run, the shadow snapshots the worker leaves): pre-image → intended image per attribute,
 * stamps left out. A key the batch left alone (unchanged, or newer in the target) diffs as its
 * pre-image, unchanged. With `validation.golden`, every golden key the stage produced must equal
 * its golden item; golden keys the stage did not produce belong to other stages and are listed as
 * missing without failing this one. A batch without a snapshot is skipped (it produced nothing).
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
  const diff = new GoldenDiff({ maxSamples: sampleSize });
  const checker: GoldenChecker | undefined = goldenUri === undefined ? undefined : goldenCheck(parseGolden(await readText(deps, goldenUri), keyAttributes), { maxSamples: sampleSize });
  const withSnapshot = records.filter((record) => record.snapshot !== undefined);
  await mapWithConcurrency(withSnapshot, SNAPSHOT_CONCURRENCY, async (record) => {
    const entries = await readSnapshot(deps.clients.s3, deps.artifactsBucket, { runId: run.runId, batchId: record.batchId }, record.snapshot!);
    for (const { key, preImage, intended } of entries) {
      const before: TargetItem | undefined = preImage === null ? undefined : withoutStamp(preImage);
      const after = intended === null ? before : withoutStamp(intended);
      if (after === undefined) continue;
      diff.add(key, before, after);
      checker?.add(after);
    }
  });
  if (checker === undefined || goldenUri === undefined) return { diff: diff.result() };
  const { passed: _allFound, ...result } = checker.result();
  return { diff: diff.result(), golden: { uri: goldenUri, ...result, passed: result.mismatched === 0 } };
}

async function readText(deps: Pick<Deps, 'clients'>, uri: string): Promise<string> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)!;
  const response = await deps.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return response.Body!.transformToString('utf8');
}
