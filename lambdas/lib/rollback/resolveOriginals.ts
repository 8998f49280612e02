import type { TargetItem } from '../../transforms/Transform';
import { snapshotsPrefix } from '../artifacts';
import { getBatch } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { keyString, readSnapshot, SnapshotIntegrityError, type SnapshotEntry } from '../worker';
import { SnapshotChainError } from './errors';

/**
 * Finds each entry's pre-run state. Usually that is the entry's pre-image. But when two batches of
 * one run produce the same key, the later batch's pre-image is the earlier batch's write (it carries
 * this run's stamp): then the pre-run state is in the earlier batch's snapshot, followed back until
 * a pre-image this run did not write. Other batches' snapshots are read once each, and checked.
 * @throws SnapshotChainError when a batch in the chain has no snapshot entry for the key;
 *   SnapshotIntegrityError when its snapshot cannot be trusted.
 */
export async function resolveOriginals(
  deps: Pick<Deps, 'clients' | 'ledgerTable' | 'artifactsBucket'>,
  where: { runId: string; batchId: string },
  entries: readonly SnapshotEntry[],
): Promise<(TargetItem | null)[]> {
  const snapshots = new Map<string, Promise<Map<string, SnapshotEntry>>>();
  const snapshotOf = (batchId: string): Promise<Map<string, SnapshotEntry>> => {
    let loaded = snapshots.get(batchId);
    if (!loaded) {
      loaded = (async () => {
        const record = await getBatch(deps, where.runId, batchId);
        if (!record?.snapshot) throw new SnapshotIntegrityError(where.runId, batchId, snapshotsPrefix({ runId: where.runId, batchId }), 'not-recorded', 'the ledger records no snapshot for this batch');
        const batchEntries = await readSnapshot(deps.clients.s3, deps.artifactsBucket, { runId: where.runId, batchId }, record.snapshot);
        return new Map(batchEntries.map((entry) => [keyString(entry.key), entry]));
      })();
      snapshots.set(batchId, loaded);
    }
    return loaded;
  };

  const originals: (TargetItem | null)[] = [];
  for (const entry of entries) {
    let original = entry.preImage;
    const visited = new Set([where.batchId]);
    while (original !== null && original.backfillRunId === where.runId && typeof original.backfillBatchId === 'string') {
      const earlier = original.backfillBatchId;
      const key = keyString(entry.key);
      if (visited.has(earlier)) throw new SnapshotChainError(where.runId, where.batchId, key, `the pre-images of batches ${[...visited].join(', ')} refer to each other`);
      visited.add(earlier);
      const found = (await snapshotOf(earlier)).get(key);
      if (!found) throw new SnapshotChainError(where.runId, where.batchId, key, `its pre-image was written by batch ${earlier}, whose snapshot has no entry for it`);
      original = found.preImage;
    }
    originals.push(original);
  }
  return originals;
}
