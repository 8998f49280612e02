import { orderSummaryV1, orderSummaryV2, type OrderEvent, type OrderSummary } from '../../lambdas/transforms';
import { addDemoStats, emptyDemoStats, type DemoStats } from './DemoStats';
import { InvalidDemoOptionError } from './errors';
import { fates, type Fate } from './fates';
import { layoutDemoObjects, type DemoObjectLayout } from './layout';
import { demoOrderEvent, malformedLine } from './orderEvents';

/** The seed used when none is given. */
export const DEFAULT_DEMO_SEED = 20240301;

export interface GenerateDemoDatasetOptions {
  /** Source lines to generate, malformed ones included. */
  readonly records: number;
  /** Any 32-bit unsigned integer; equal seeds give byte-identical datasets. @default DEFAULT_DEMO_SEED */
  readonly seed?: number;
  /** Key prefix of the objects. @default 'orders/' */
  readonly prefix?: string;
  /** Lines per object at most. @default 5000 */
  readonly maxLinesPerObject?: number;
}

/** One generated source object with the target state of its records. */
export interface DemoPart extends DemoObjectLayout {
  /** JSONL, one record per line, each line ending in `\n`. */
  readonly body: string;
  /** The target items of this object's records before the fix (v1 items and live-updated items). */
  readonly targetItems: OrderSummary[];
  /** Orders of this object's valid records that have no target item. */
  readonly missingOrderIds: string[];
  readonly stats: DemoStats;
}

/** A whole dataset in memory; see {@link DemoDataset.collect}. */
export interface CollectedDemoDataset {
  readonly objects: { readonly key: string; readonly body: string }[];
  readonly targetItems: OrderSummary[];
  readonly missingOrderIds: string[];
  readonly stats: DemoStats;
}

/** A seeded demo dataset, generated lazily. */
export interface DemoDataset {
  readonly records: number;
  readonly seed: number;
  readonly prefix: string;
  /** Every object's key, partition and line range, known before any record is generated. */
  readonly layout: readonly DemoObjectLayout[];
  /** Generates the objects one at a time, in layout order; each call regenerates identical bytes. */
  parts(): Generator<DemoPart, void, undefined>;
  /** Generates everything into memory (about 0.5 KB per record; for tests and small datasets). */
  collect(): CollectedDemoDataset;
}

/** The item live traffic wrote after the order changed: version + 1, one more line, computed by the fixed code. */
function liveUpdatedItem(event: OrderEvent): OrderSummary {
  const changed: OrderEvent = { ...event, version: event.version + 1, lines: [...event.lines, { sku: 'SKU-0001', quantity: 1, unitPrice: '4.99' }] };
  return orderSummaryV2.apply(changed)[0]!;
}

/** DemoStats being counted up. */
type CountingStats = { -readonly [K in keyof DemoStats]: DemoStats[K] extends object ? { -readonly [J in keyof DemoStats[K]]: DemoStats[K][J] } : DemoStats[K] };

function generatePart(layout: DemoObjectLayout, seed: number, fateOf: (index: number) => Fate): DemoPart {
  const lines: string[] = [];
  const targetItems: OrderSummary[] = [];
  const missingOrderIds: string[] = [];
  const stats = emptyDemoStats() as CountingStats;
  stats.objects = 1;
  for (let index = layout.firstRecord; index < layout.firstRecord + layout.lineCount; index++) {
    const event = demoOrderEvent(seed, index, layout.dt);
    const fate = fateOf(index);
    stats.records++;
    if (fate.kind === 'malformed') {
      lines.push(malformedLine(event, fate.malformed));
      stats.malformed++;
      stats.malformedByKind[fate.malformed]++;
      continue;
    }
    lines.push(JSON.stringify(event));
    stats.valid++;
    const v1 = orderSummaryV1.apply(event)[0]!;
    const v2 = orderSummaryV2.apply(event)[0]!;
    const wrongDate = v1.orderDate !== v2.orderDate;
    const wrongTotal = v1.totalCents !== v2.totalCents;
    if (wrongDate || wrongTotal) stats.v1Wrong++;
    if (wrongDate) stats.v1WrongDate++;
    if (wrongTotal) stats.v1WrongTotal++;
    if (fate.kind === 'missing') {
      missingOrderIds.push(event.orderId);
      stats.missing++;
      stats.expected.created++;
    } else if (fate.kind === 'live-updated') {
      targetItems.push(liveUpdatedItem(event));
      stats.liveUpdated++;
      stats.expected.skippedNewer++;
    } else {
      targetItems.push(v1);
      if (wrongDate || wrongTotal) stats.expected.updated++;
      else stats.expected.unchanged++;
    }
  }
  stats.targetItems = targetItems.length;
  return { ...layout, body: lines.length === 0 ? '' : `${lines.join('\n')}\n`, targetItems, missingOrderIds, stats };
}

function checkOptions(options: GenerateDemoDatasetOptions): Required<GenerateDemoDatasetOptions> {
  const { records, seed = DEFAULT_DEMO_SEED, prefix = 'orders/', maxLinesPerObject = 5000 } = options;
  if (!Number.isSafeInteger(records) || records < 0 || records > 100_000_000) throw new InvalidDemoOptionError('records', records, 'a whole number from 0 to 100000000');
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new InvalidDemoOptionError('seed', seed, 'a whole number from 0 to 4294967295');
  if (prefix !== '' && !/^[A-Za-z0-9!_.*'()/-]*\/$/.test(prefix)) throw new InvalidDemoOptionError('prefix', prefix, 'empty or a safe S3 key prefix ending in "/"');
  if (!Number.isSafeInteger(maxLinesPerObject) || maxLinesPerObject < 1 || maxLinesPerObject > 100_000) {
    throw new InvalidDemoOptionError('maxLinesPerObject', maxLinesPerObject, 'a whole number from 1 to 100000');
  }
  return { records, seed, prefix, maxLinesPerObject };
}

/**
 * A deterministic demo dataset of order events "before the fix": JSONL source objects under
 * `<prefix>dt=YYYY-MM-DD/part-NNNNN.jsonl` over 12 days from 2024-03-01 (at most 5,000 lines an
 * object), about 0.1% malformed lines (at least one per 1,000 records), and the target table as
 * `order-summary@1` left it, except that about 1% of orders are missing and about 2% were since
 * updated by live traffic (version + 1). About a quarter of the valid records are ones v1 got wrong.
 *
 * Everything is a function of (records, seed, prefix, maxLinesPerObject): no Math.random, no clock.
 * Objects are generated lazily, one at a time, so a million records never sit in memory at once.
 *
 * @example
 *   const dataset = generateDemoDataset({ records: 100_000, seed: 7 });
 *   for (const part of dataset.parts()) upload(part.key, part.body, part.targetItems);
 *   const { objects, targetItems, stats } = generateDemoDataset({ records: 2_000 }).collect();
 * @throws InvalidDemoOptionError when an option is out of range.
 */
export function generateDemoDataset(options: GenerateDemoDatasetOptions): DemoDataset {
  const { records, seed, prefix, maxLinesPerObject } = checkOptions(options);
  const layout = layoutDemoObjects(records, seed, prefix, maxLinesPerObject);
  function* parts(): Generator<DemoPart, void, undefined> {
    const fateOf = fates(seed);
    for (const object of layout) yield generatePart(object, seed, fateOf);
  }
  return {
    records,
    seed,
    prefix,
    layout,
    parts,
    collect() {
      const collected = { objects: [] as { key: string; body: string }[], targetItems: [] as OrderSummary[], missingOrderIds: [] as string[], stats: emptyDemoStats() };
      for (const part of parts()) {
        collected.objects.push({ key: part.key, body: part.body });
        collected.targetItems.push(...part.targetItems);
        collected.missingOrderIds.push(...part.missingOrderIds);
        collected.stats = addDemoStats(collected.stats, part.stats);
      }
      return collected;
    },
  };
}
