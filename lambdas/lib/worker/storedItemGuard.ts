import type { TargetItem } from '../../transforms/Transform';
import type { Target } from './targetKeys';

/** The condition parts of a PutItem or DeleteItem. */
export interface ItemCondition {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, unknown>;
}

/** DynamoDB refuses an expression string longer than 4 KB. */
const MAX_EXPRESSION_BYTES = 4096;

/** Attributes of the compact guard, used when the item is too wide to compare attribute by attribute. */
const COMPACT_ATTRIBUTES = ['backfillRunId', 'backfillBatchId'] as const;

/**
 * A condition that holds only while the stored item is still `expected`: absent when `expected` is
 * undefined, else every attribute of `expected` equal to its value, down to each element of its
 * maps and lists (whose types and sizes are compared too, so an added or removed element fails it).
 * This is what makes a write exact when it is based on a read that may be stale (an eventually
 * consistent read) or overtaken (a live write between read and write): the write lands only on the
 * state the caller read and recorded. DynamoDB cannot test for top-level attributes `expected`
 * lacks, so a concurrent write that only adds attributes goes unseen. An item whose comparison
 * would not fit in one expression is guarded by its key, version and stamp attributes instead.
 * @example
 *   await ddb.send(new PutCommand({ TableName, Item: next, ...storedItemGuard(target, preImage) }));
 */
export function storedItemGuard(target: Target, expected: TargetItem | undefined): ItemCondition {
  if (!expected) return { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': target.partitionKey } };
  // The key attributes are equal by construction (the request addresses that key): existence is enough.
  const keyAttributes = new Set([target.partitionKey, ...(target.sortKey ? [target.sortKey] : [])]);
  const full = new ConditionBuilder();
  full.exists(full.name(target.partitionKey));
  for (const name of Object.keys(expected).sort()) if (!keyAttributes.has(name)) full.equal(full.name(name), expected[name]);
  if (Buffer.byteLength(full.expression()) <= MAX_EXPRESSION_BYTES) return full.build();
  const compact = new ConditionBuilder();
  for (const name of [target.partitionKey, ...(target.sortKey ? [target.sortKey] : []), target.versionAttribute, ...COMPACT_ATTRIBUTES]) compact.equal(compact.name(name), expected[name]);
  return compact.build();
}

/** Collects clauses over attribute paths, with one placeholder per distinct name and per value. */
class ConditionBuilder {
  private readonly clauses: string[] = [];
  private readonly names = new Map<string, string>();
  private readonly values: Record<string, unknown> = {};
  private valueCount = 0;

  name(attribute: string): string {
    let placeholder = this.names.get(attribute);
    if (!placeholder) this.names.set(attribute, (placeholder = `#a${this.names.size}`));
    return placeholder;
  }

  exists(path: string): void {
    this.clauses.push(`attribute_exists(${path})`);
  }

  /**
   * `path` equals `value`. Maps and lists are compared element by element (some emulators cannot
   * compare them whole); null is tested by type, which is how DynamoDB compares NULL.
   */
  equal(path: string, value: unknown): void {
    if (value === undefined) return void this.clauses.push(`attribute_not_exists(${path})`);
    if (value === null) return void this.clauses.push(`attribute_type(${path}, ${this.value('NULL')})`);
    if (Array.isArray(value)) {
      this.clauses.push(`attribute_type(${path}, ${this.value('L')})`, `size(${path}) = ${this.value(value.length)}`);
      value.forEach((element, index) => this.equal(`${path}[${index}]`, element));
      return;
    }
    if (isPlainMap(value)) {
      const keys = Object.keys(value).sort();
      this.clauses.push(`attribute_type(${path}, ${this.value('M')})`, `size(${path}) = ${this.value(keys.length)}`);
      for (const key of keys) this.equal(`${path}.${this.name(key)}`, value[key]);
      return;
    }
    this.clauses.push(`${path} = ${this.value(value)}`);
  }

  expression(): string {
    return this.clauses.join(' AND ');
  }

  build(): ItemCondition {
    const values = this.valueCount > 0 ? { ExpressionAttributeValues: { ...this.values } } : {};
    return { ConditionExpression: this.expression(), ExpressionAttributeNames: Object.fromEntries([...this.names].map(([name, placeholder]) => [placeholder, name])), ...values };
  }

  private value(value: unknown): string {
    const placeholder = `:v${this.valueCount++}`;
    this.values[placeholder] = value;
    return placeholder;
  }
}

/** A JSON-style object (a DynamoDB map), not a Set, a Uint8Array or another class instance. */
function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
