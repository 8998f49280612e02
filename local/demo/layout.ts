import { randomFor } from './prng';

/** Where the demo's orders fall: a fixed fortnight (12 days), so datasets are reproducible. */
export const DEMO_FIRST_DAY = '2024-03-01';
export const DEMO_DAYS = 12;
const DAY_WEIGHT_STREAM = 1;

/** One source object of the demo dataset. */
export interface DemoObjectLayout {
  /** e.g. `orders/dt=2024-03-01/part-00000.jsonl`. */
  readonly key: string;
  /** The partition date, `YYYY-MM-DD`: the UTC date of every order in the object. */
  readonly dt: string;
  /** Index (0-based, over the whole dataset) of the object's first line. */
  readonly firstRecord: number;
  readonly lineCount: number;
}

/**
 * `YYYY-MM-DD` of day `n` after {@link DEMO_FIRST_DAY}.
 * @example
 *   demoDay(0);  // '2024-03-01'
 *   demoDay(11); // '2024-03-12'
 */
export function demoDay(n: number): string {
  return new Date(Date.parse(`${DEMO_FIRST_DAY}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Records per day: seeded weights of 0.75–1.25, apportioned by largest remainder so they sum exactly. */
function recordsPerDay(records: number, seed: number): number[] {
  const weights = Array.from({ length: DEMO_DAYS }, (_, day) => 0.75 + 0.5 * randomFor(seed, DAY_WEIGHT_STREAM, day)());
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (records * w) / total);
  const counts = exact.map(Math.floor);
  let left = records - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, day) => ({ day, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.day - b.day);
  for (const { day } of byRemainder) {
    if (left-- <= 0) break;
    counts[day]! += 1;
  }
  return counts;
}

/**
 * The objects of a dataset, in order: each day's records in `dt=` partitions, split into parts of
 * at most `maxLinesPerObject` lines. Cheap: generates no record.
 * @example
 *   layoutDemoObjects(80_000, 1, 'orders/', 5_000)[0];
 *   // { key: 'orders/dt=2024-03-01/part-00000.jsonl', dt: '2024-03-01', firstRecord: 0, lineCount: 5000 }
 */
export function layoutDemoObjects(records: number, seed: number, prefix: string, maxLinesPerObject: number): DemoObjectLayout[] {
  const objects: DemoObjectLayout[] = [];
  let firstRecord = 0;
  recordsPerDay(records, seed).forEach((count, day) => {
    const dt = demoDay(day);
    for (let part = 0; part * maxLinesPerObject < count; part++) {
      const lineCount = Math.min(maxLinesPerObject, count - part * maxLinesPerObject);
      objects.push({ key: `${prefix}dt=${dt}/part-${String(part).padStart(5, '0')}.jsonl`, dt, firstRecord, lineCount });
      firstRecord += lineCount;
    }
  });
  return objects;
}
