import type { TargetItem } from '../../transforms/Transform';
import { getBatch } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { readSnapshot, type SnapshotEntry } from './SnapshotStore';
import { keyString } from './targetKeys';

/**
 * The pre-images other batches of a run recorded, read from their recorded snapshots on first use
 * (each snapshot once, checked against its sha256). Only a key another batch wrote after this one
 * read it needs one, so most batches read none.
 * @example
 *   const preImageOf = recordedPreImages(deps, runId);
 *   await preImageOf('b0000003', keyString(key)); // the item, null (absent), or undefined (no entry)
 */
export function recordedPreImages(deps: Pick<Deps, 'clients' | 'ledgerTable' | 'artifactsBucket'>, runId: string): (batchId: string, key: string) => Promise<TargetItem | null | undefined> {
  const snapshots = new Map<string, Promise<Map<string, SnapshotEntry> | undefined>>();
  const load = async (batchId: string): Promise<Map<string, SnapshotEntry> | undefined> => {
    const ref = (await getBatch(deps, runId, batchId))?.snapshot;
    if (!ref) return undefined;
    const entries = await readSnapshot(deps.clients.s3, deps.artifactsBucket, { runId, batchId }, ref);
    return new Map(entries.map((entry) => [keyString(entry.key), entry]));
  };
  return async (batchId, key) => {
    let loaded = snapshots.get(batchId);
    if (!loaded) snapshots.set(batchId, (loaded = load(batchId)));
    const entry = (await loaded)?.get(key);
    return entry === undefined ? undefined : entry.preImage;
  };
}
