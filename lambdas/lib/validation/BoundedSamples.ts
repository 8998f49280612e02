import { canonicalJson } from '../canonicalJson';

/**
 * At most `capacity` values, the ones with the smallest sort keys seen so far. Keeping the
 * smallest rather than the first makes the kept set independent of the order values arrive in
 * (batches finish in any order), and memory stays `capacity` entries however many are offered.
 *
 * @example
 *   const samples = new BoundedSamples<string>(2);
 *   for (const v of ['c', 'a', 'b']) samples.offer(v, v);
 *   samples.values(); // ['a', 'b']
 */
export class BoundedSamples<T> {
  private readonly kept: { readonly sortKey: string; readonly value: T }[] = [];

  constructor(private readonly capacity: number) {}

  /** Keeps `value` if it is among the `capacity` smallest by `sortKey` (ties: the first offered). */
  offer(sortKey: string, value: T): void {
    if (this.capacity === 0) return;
    if (this.kept.length === this.capacity && !(sortKey < this.kept[this.kept.length - 1]!.sortKey)) return;
    let low = 0;
    let high = this.kept.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.kept[mid]!.sortKey <= sortKey) low = mid + 1;
      else high = mid;
    }
    this.kept.splice(low, 0, { sortKey, value });
    if (this.kept.length > this.capacity) this.kept.pop();
  }

  /** Whether {@link offer} would keep a value of this sort key now: lets a caller skip building one it would drop. */
  accepts(sortKey: string): boolean {
    return this.capacity > 0 && (this.kept.length < this.capacity || sortKey < this.kept[this.kept.length - 1]!.sortKey);
  }

  /** The kept values, smallest sort key first (a new array). */
  values(): T[] {
    return this.kept.map((entry) => entry.value);
  }
}

/**
 * A sort key for any JSON-like value: equal values give equal keys whatever their key order.
 * @example
 *   sortKeyOf({ b: 1, a: 2 }) === sortKeyOf({ a: 2, b: 1 }); // true
 */
export function sortKeyOf(...parts: unknown[]): string {
  return parts.map((part) => canonicalJson(part) ?? 'undefined').join('\u0000');
}
