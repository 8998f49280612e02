import type { TargetItem, Transform } from '../../transforms/Transform';
import { outranks } from './mergePolicy';
import type { MalformedRecord, ParsedRecord } from './parseRecords';
import { keyOf, keyProblem, keyString, type Target } from './targetKeys';

export interface Recomputed {
  readonly key: Record<string, unknown>;
  readonly item: TargetItem;
}

export interface Recomputation {
  /** One item per key, sorted by key. */
  readonly items: Recomputed[];
  /** Items the transform produced for the records it took (duplicates per key included). */
  readonly produced: number;
  /** Records whose transform threw, or produced an item failing the output schema or the target's key and version rules. */
  readonly rejected: MalformedRecord[];
}

const describeIssues = (issues: readonly { path: PropertyKey[]; message: string }[]): string => issues.map((i) => `${i.path.map(String).join('.') || '(item)'}: ${i.message}`).join('; ');

/** Applies the transform to one record and checks every item; a string is the reason it is rejected. */
function itemsOf(transform: Transform, target: Target, record: unknown): TargetItem[] | string {
  const id = `${transform.name}@${transform.version}`;
  let outputs: TargetItem[];
  try {
    outputs = [...transform.apply(record)];
  } catch (error) {
    return `${id} threw on this record: ${(error as Error).name}: ${(error as Error).message}`;
  }
  const items: TargetItem[] = [];
  for (const output of outputs) {
    const checked = transform.outputSchema.safeParse(output);
    if (!checked.success) return `${id} produced an item that fails its output schema: ${describeIssues(checked.error.issues)}`;
    const problem = keyProblem(checked.data, target);
    if (problem) return `${id} produced an item the target cannot take: ${problem}`;
    items.push(checked.data);
  }
  return items;
}

/**
 * Applies the transform to each record. A record whose transform throws, or produces any item that
 * fails the output schema or lacks valid key/version attributes, is rejected whole (none of its
 * items is written) with the reason, to be quarantined like a malformed line; the others proceed.
 * Two records for one key: {@link outranks} picks the winner, so line order never matters.
 * `onItem` sees every item of every record taken (duplicates per key included), with its record.
 * @example
 *   const { items, produced, rejected } = recomputeItems(transform, spec.target, valid);
 */
export function recomputeItems(
  transform: Transform,
  target: Target,
  records: readonly ParsedRecord<unknown>[],
  onItem?: (item: TargetItem, source: unknown) => void,
): Recomputation {
  const byKey = new Map<string, Recomputed>();
  const rejected: MalformedRecord[] = [];
  let produced = 0;
  for (const { line, record, raw } of records) {
    const items = itemsOf(transform, target, record);
    if (typeof items === 'string') {
      rejected.push({ line, reason: items, raw });
      continue;
    }
    produced += items.length;
    for (const item of items) {
      onItem?.(item, record);
      const key = keyOf(item, target);
      const id = keyString(key);
      const previous = byKey.get(id);
      if (!previous || outranks(item, previous.item, target.versionAttribute)) byKey.set(id, { key, item });
    }
  }
  const items = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
  return { items, produced, rejected };
}
