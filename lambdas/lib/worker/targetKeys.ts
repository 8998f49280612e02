import type { Spec } from '../spec';
import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';

export type Target = Spec['target'];

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

/** What is wrong with an item's key and version attributes, or undefined when they are fine. */
export function keyProblem(item: TargetItem, target: Target): string | undefined {
  for (const name of [target.partitionKey, ...(target.sortKey ? [target.sortKey] : [])]) {
    const value = item[name];
    if (typeof value !== 'string' && typeof value !== 'number') return `key attribute ${name} must be a string or number, got ${JSON.stringify(value)}`;
    if (value === '') return `key attribute ${name} is empty`;
  }
  const version = item[target.versionAttribute];
  if (typeof version !== 'number' || !Number.isFinite(version)) return `version attribute ${target.versionAttribute} must be a number, got ${JSON.stringify(version)}`;
  return undefined;
}
