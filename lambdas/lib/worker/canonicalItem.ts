import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';
import { STAMP_ATTRIBUTES, type Stamp } from './stamps';

/** One top-level attribute as canonical JSON text: `"name":value`. */
interface Member {
  readonly name: string;
  readonly text: string;
}

/**
 * The order JSON.stringify lists the keys of an object built in sorted order (as canonicalJson
 * builds it): integer-like keys first, ascending as numbers, then the others in insertion
 * (= sorted) order. Without this a key like "10" would land elsewhere than canonicalJson puts it.
 */
const ARRAY_INDEX = /^(0|[1-9]\d*)$/;
const isIndex = (name: string) => ARRAY_INDEX.test(name) && Number(name) < 2 ** 32 - 1;
function propertyOrder(a: string, b: string): number {
  const ai = isIndex(a);
  const bi = isIndex(b);
  if (ai && bi) return Number(a) - Number(b);
  if (ai !== bi) return ai ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const joined = (members: readonly Member[]) => `{${members.map((m) => m.text).join(',')}}`;
const memberOf = (name: string, value: unknown): Member => ({ name, text: `${JSON.stringify(name)}:${canonicalJson(value)}` });

/**
 * A produced item's canonical JSON, built once from its top-level attributes so that the stamped
 * item written to the target reuses them: the worker hashes both (the unstamped one for the
 * batch's `outputHash`, the stamped one for its checksum), and canonicalising each item twice was
 * a measurable part of a staged batch. Both texts equal `canonicalJson` of the same item exactly.
 *
 * @example
 *   const canonical = canonicalItem({ id: 'a', n: 1 });
 *   canonical.json === canonicalJson({ id: 'a', n: 1 }); // true
 *   canonical.stamped(stamp) === canonicalJson(stampItem({ id: 'a', n: 1 }, stamp)); // true
 */
export function canonicalItem(item: TargetItem): { readonly json: string; stamped(stamp: Stamp): string } {
  const members = Object.keys(item)
    .filter((name) => item[name] !== undefined)
    .sort(propertyOrder)
    .map((name) => memberOf(name, item[name]));
  return {
    json: joined(members),
    stamped(stamp) {
      const values: Record<(typeof STAMP_ATTRIBUTES)[number], string> = { backfillRunId: stamp.runId, backfillTransform: stamp.transform, backfillBatchId: stamp.batchId };
      const stamps = STAMP_ATTRIBUTES.map((name) => memberOf(name, values[name]));
      const kept = members.filter((m) => !(STAMP_ATTRIBUTES as readonly string[]).includes(m.name));
      return joined([...kept, ...stamps].sort((a, b) => propertyOrder(a.name, b.name)));
    },
  };
}
