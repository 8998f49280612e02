import type { Spec } from '../spec';
import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';

/** The spec's target; the key types may be left out where only names matter (they default to S). */
export type Target = Omit<Spec['target'], 'partitionKeyType' | 'sortKeyType'> & Partial<Pick<Spec['target'], 'partitionKeyType' | 'sortKeyType'>>;

/** The item's primary key as DynamoDB wants it. */
export function keyOf(item: TargetItem, target: Target): Record<string, unknown> {
  const key: Record<string, unknown> = { [target.partitionKey]: item[target.partitionKey] };
  if (target.sortKey) key[target.sortKey] = item[target.sortKey];
  return key;
}

/** A string that orders and identifies keys deterministically. */
export function keyString(key: Record<string, unknown>): string {
  return canonicalJson(key);
}

/** What a value of each declared key type must be, as the document client writes it. */
const KEY_TYPES = {
  S: { describe: 'a non-empty string', accepts: (value: unknown) => typeof value === 'string' && value !== '' },
  N: { describe: 'a finite number', accepts: (value: unknown) => typeof value === 'number' && Number.isFinite(value) },
  B: { describe: 'non-empty binary (a Uint8Array)', accepts: (value: unknown) => value instanceof Uint8Array && value.length > 0 },
} as const;

/** A value as a reason may show it: short, and binary as its length. */
function shown(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes of binary`;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

/**
 * What is wrong with an item's key and version attributes, or undefined when they are fine: each
 * key attribute must be of the type the spec declares for it (`partitionKeyType`, `sortKeyType`;
 * DynamoDB refuses the whole write otherwise), the version a finite number.
 * @example
 *   keyProblem({ orderId: 7, version: 1 }, target); // 'key attribute orderId must be S (a non-empty string), got 7'
 */
export function keyProblem(item: TargetItem, target: Target): string | undefined {
  const keys: [string, keyof typeof KEY_TYPES][] = [[target.partitionKey, target.partitionKeyType ?? 'S']];
  if (target.sortKey) keys.push([target.sortKey, target.sortKeyType ?? 'S']);
  for (const [name, type] of keys) {
    const value = item[name];
    if (!KEY_TYPES[type].accepts(value)) return `key attribute ${name} must be ${type} (${KEY_TYPES[type].describe}), got ${shown(value)}`;
  }
  const version = item[target.versionAttribute];
  if (typeof version !== 'number' || !Number.isFinite(version)) return `version attribute ${target.versionAttribute} must be a number, got ${shown(version)}`;
  return undefined;
}
