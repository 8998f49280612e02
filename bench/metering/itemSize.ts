/**
 * DynamoDB's item size rule for capacity: per attribute, the UTF-8 length of its name plus the size
 * of its value (strings: UTF-8 bytes; numbers: about one byte per two significant digits plus one;
 * booleans and null: 1; lists and maps: 3 plus each element's size and one byte per element).
 * Used only where the emulator reports no capacity: a write refused by its condition still costs
 * write units on AWS, and dynalite returns an error without `ConsumedCapacity` for it.
 * @example
 *   itemSizeBytes({ pk: 'a', n: 12 }); // 2 + 1 + 2 = 5
 */
export function itemSizeBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/^-/, '').replace('.', '').replace(/e.*$/i, '').replace(/^0+/, '').replace(/0+$/, '');
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce<number>((sum, v) => sum + valueSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, v) => sum + 1 + valueSize(v), 0);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return 3 + entries.length + itemSizeBytes(value as Record<string, unknown>);
  }
  return 0;
}

/** Write units of one item write: 1 KB each, rounded up, at least 1. */
export const writeUnitsFor = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
