import type { TargetItem } from '../../transforms/Transform';

/** Attributes every written item carries, so audits and rollback can tell who wrote what. */
export const STAMP_ATTRIBUTES = ['backfillRunId', 'backfillTransform', 'backfillBatchId'] as const;

export interface Stamp {
  readonly runId: string;
  readonly transform: string;
  readonly batchId: string;
}

export function stampItem(item: TargetItem, stamp: Stamp): TargetItem {
  return { ...item, backfillRunId: stamp.runId, backfillTransform: stamp.transform, backfillBatchId: stamp.batchId };
}

export function withoutStamp(item: TargetItem): TargetItem {
  const copy = { ...item };
  for (const attribute of STAMP_ATTRIBUTES) delete copy[attribute];
  return copy;
}
