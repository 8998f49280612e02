import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';
import { parseJsonExact } from '../json';
import { GoldenLineError, InvalidEvidenceOptionError } from './errors';

/** One golden item and the line it came from. */
export interface GoldenItem {
  readonly line: number;
  readonly key: Readonly<Record<string, unknown>>;
  readonly item: TargetItem;
}

/** The golden items by the canonical JSON of their key, and the key attributes they are keyed by. */
export interface GoldenItems {
  readonly keyAttributes: readonly string[];
  readonly items: ReadonlyMap<string, GoldenItem>;
}

const isObject = (value: unknown): value is TargetItem => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The canonical identity of an item's key: equal keys give equal text whatever their order.
 * @example
 *   goldenKeyOf({ orderId: 'o1', sk: 1 }, ['sk', 'orderId']) === goldenKeyOf({ sk: 1, orderId: 'o1' }, ['orderId', 'sk']); // true
 */
export function goldenKeyOf(item: TargetItem, keyAttributes: readonly string[]): string {
  return canonicalJson(pickKey(item, keyAttributes));
}

/** The key attributes of an item. */
function pickKey(item: TargetItem, keyAttributes: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keyAttributes.map((attribute) => [attribute, item[attribute]]));
}

/**
 * Parses the golden JSONL (one expected target item per line; blank lines are skipped) with the
 * strict parser, so a version beyond 2^53 is refused rather than rounded.
 *
 * @throws GoldenLineError naming the line when it is not JSON, not an object, lacks a key
 *   attribute (or holds one that is not a string or number), or repeats an earlier line's key.
 * @throws InvalidEvidenceOptionError when keyAttributes is empty.
 * @example
 *   parseGolden('{"orderId":"o1","totalCents":1999}\n', ['orderId']).items.get('{"orderId":"o1"}')?.item;
 *   // { orderId: 'o1', totalCents: 1999 }
 */
export function parseGolden(text: string, keyAttributes: readonly string[]): GoldenItems {
  if (!Array.isArray(keyAttributes) || keyAttributes.length === 0 || !keyAttributes.every((a) => typeof a === 'string' && a !== '')) {
    throw new InvalidEvidenceOptionError('keyAttributes', keyAttributes, "a non-empty list of the target's key attribute names");
  }
  const items = new Map<string, GoldenItem>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (source.trim() === '') return;
    let value: unknown;
    try {
      value = parseJsonExact(source);
    } catch (error) {
      throw new GoldenLineError(line, `not usable JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    if (!isObject(value)) throw new GoldenLineError(line, `must be a JSON object (an item), got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`);
    for (const attribute of keyAttributes) {
      const part = value[attribute];
      if (typeof part !== 'string' && typeof part !== 'number') {
        throw new GoldenLineError(line, `lacks the key attribute ${JSON.stringify(attribute)} (a string or number), got ${part === undefined ? 'nothing' : JSON.stringify(part)}`);
      }
    }
    const key = goldenKeyOf(value, keyAttributes);
    const earlier = items.get(key);
    if (earlier !== undefined) throw new GoldenLineError(line, `repeats the key ${key} of line ${earlier.line}`);
    items.set(key, { line, key: pickKey(value, keyAttributes), item: value });
  });
  return { keyAttributes: [...keyAttributes], items };
}
