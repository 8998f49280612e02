/**
 * The field-by-field sum of two records of counts, nested records included. A field one side lacks
 * counts as zero there (e.g. a ledger record written before that count existed).
 * @example
 *   sumCounts({ read: 2, byKind: { bad: 1 } }, { read: 3, byKind: { bad: 0 } }); // { read: 5, byKind: { bad: 1 } }
 */
export function sumCounts<T extends object>(a: T, b: T): T {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const sum: Record<string, unknown> = {};
  for (const field of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const x = left[field];
    const y = right[field];
    sum[field] = typeof x === 'object' || typeof y === 'object' ? sumCounts((x ?? {}) as object, (y ?? {}) as object) : Number(x ?? 0) + Number(y ?? 0);
  }
  return sum as T;
}
