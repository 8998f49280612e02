import { fromCents, type OrderEvent } from '../../lambdas/transforms';
import { below, pick, randomFor, scramble32, weighted, type Random } from './prng';

const RECORD_STREAM = 2;

/**
 * UTC offsets in minutes with their weights. About 18% of orders fall on a different local day
 * than UTC day (late evening west of Greenwich, early morning east of it): the records
 * `order-summary@1` misdates.
 */
const OFFSETS = weighted<number>([
  [0.25, 0],
  [0.1, 60],
  [0.06, 120],
  [0.04, 330],
  [0.07, 540],
  [0.12, -300],
  [0.08, -240],
  [0.18, -480],
  [0.07, -420],
  [0.03, -600],
]);

const CURRENCIES = weighted<string>([
  [0.7, 'USD'],
  [0.12, 'EUR'],
  [0.08, 'GBP'],
  [0.06, 'CAD'],
  [0.04, 'AUD'],
]);

/**
 * Price endings in cents. Round endings (.00, .50, .25) are exact in binary floats, the rest may
 * not be: with these weights `order-summary@1` gets about 8% of the totals wrong.
 */
const CENT_ENDINGS = weighted<number | 'any'>([
  [0.2, 0],
  [0.06, 50],
  [0.04, 25],
  [0.25, 99],
  [0.1, 95],
  [0.07, 49],
  [0.28, 'any'],
]);

/** Unit prices' whole dollars: [lowest, how many values]. */
const DOLLAR_RANGES = weighted<readonly [number, number]>([
  [0.35, [1, 10]],
  [0.45, [10, 40]],
  [0.2, [50, 250]],
]);
const LINE_COUNTS = weighted([[0.4, 1], [0.25, 2], [0.15, 3], [0.12, 4], [0.08, 5]]);
const QUANTITIES = weighted([[0.65, 1], [0.2, 2], [0.08, 3], [0.07, 4]]);
const VERSIONS = weighted([[0.7, 1], [0.2, 2], [0.07, 3], [0.03, 4]]);

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** `±HH:MM` of each offset but UTC (which is written `Z` or `+00:00` at random). */
const OFFSET_SUFFIXES = new Map(
  OFFSETS.values.map((minutes) => [minutes, `${minutes < 0 ? '-' : '+'}${TWO_DIGITS[Math.floor(Math.abs(minutes) / 60)]}:${TWO_DIGITS[Math.abs(minutes) % 60]}`]),
);

/** The day before `dt`, `dt`, and the day after (a cache over the dataset's dozen days). */
const DAYS_AROUND = new Map<string, readonly string[]>();
function daysAround(dt: string): readonly string[] {
  let days = DAYS_AROUND.get(dt);
  if (!days) {
    const midnight = Date.parse(`${dt}T00:00:00Z`);
    days = [-1, 0, 1].map((shift) => new Date(midnight + shift * 86_400_000).toISOString().slice(0, 10));
    DAYS_AROUND.set(dt, days);
  }
  return days;
}

/** A timestamp at a random second of UTC day `dt`, written in a random offset. */
function placedAt(random: Random, dt: string): string {
  const utcSecond = below(random, 86_400);
  const offsetMinutes = pick(random, OFFSETS);
  const localSecond = utcSecond + offsetMinutes * 60;
  const dayShift = Math.floor(localSecond / 86_400);
  const second = localSecond - dayShift * 86_400;
  const time = `${TWO_DIGITS[Math.floor(second / 3600)]}:${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}`;
  const fraction = random() < 0.15 ? `.${String(below(random, 1000)).padStart(3, '0')}` : '';
  const suffix = offsetMinutes === 0 ? (random() < 0.5 ? 'Z' : '+00:00') : OFFSET_SUFFIXES.get(offsetMinutes);
  return `${daysAround(dt)[dayShift + 1]}T${time}${fraction}${suffix}`;
}

function unitPriceCents(random: Random): number {
  const [low, span] = pick(random, DOLLAR_RANGES);
  const dollars = low + below(random, span);
  const ending = pick(random, CENT_ENDINGS);
  return dollars * 100 + (ending === 'any' ? below(random, 100) : ending);
}

/**
 * The order id of record `index`: distinct for distinct indexes of one seed.
 * @example
 *   demoOrderId(7, 0); // 'ord-' and 8 hex digits
 */
export function demoOrderId(seed: number, index: number): string {
  return `ord-${scramble32(seed, index).toString(16).padStart(8, '0')}`;
}

/**
 * The valid order event of record `index` of a seeded dataset, placed on UTC day `dt`.
 * A function of its arguments only.
 * @example
 *   OrderEventSchema.parse(demoOrderEvent(7, 0, '2024-03-01')); // always valid
 */
export function demoOrderEvent(seed: number, index: number, dt: string): OrderEvent {
  const random = randomFor(seed, RECORD_STREAM, index);
  const lineCount = pick(random, LINE_COUNTS);
  let subtotalCents = 0;
  const lines = Array.from({ length: lineCount }, () => {
    const quantity = pick(random, QUANTITIES);
    const priceCents = unitPriceCents(random);
    subtotalCents += quantity * priceCents;
    return { sku: `SKU-${String(1000 + below(random, 9000))}`, quantity, unitPrice: fromCents(priceCents) };
  });
  const event: OrderEvent = {
    orderId: demoOrderId(seed, index),
    version: pick(random, VERSIONS),
    customerId: `cust-${String(below(random, 50_000)).padStart(5, '0')}`,
    placedAt: placedAt(random, dt),
    currency: pick(random, CURRENCIES),
    lines,
  };
  if (random() < 0.15) {
    const u = random();
    const discountCents = u < 0.5 ? 500 : u < 0.7 ? 1000 : Math.floor(subtotalCents / 10);
    if (discountCents > 0 && discountCents * 2 <= subtotalCents) event.discount = fromCents(discountCents);
  }
  return event;
}

/** The kinds of malformed line the dataset plants, each failing JSON.parse or the input schema. */
export const MALFORMED_KINDS = [
  'invalid-json',
  'truncated',
  'negative-quantity',
  'missing-order-id',
  'timestamp-without-offset',
  'unit-price-as-number',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/**
 * A source line, broken in the given way, made from a valid event.
 * @example
 *   malformedLine(event, 'truncated'); // the first 60% of the event's JSON
 */
export function malformedLine(event: OrderEvent, kind: MalformedKind): string {
  const line = JSON.stringify(event);
  switch (kind) {
    case 'invalid-json':
      return line.replace('"version":', 'version:');
    case 'truncated':
      // A strict prefix of a JSON object (cut before its closing brace) is never valid JSON.
      return line.slice(0, Math.floor(line.length * 0.6));
    case 'negative-quantity':
      return JSON.stringify({ ...event, lines: event.lines.map((l, i) => (i === 0 ? { ...l, quantity: -l.quantity } : l)) });
    case 'missing-order-id': {
      const { orderId: _omitted, ...rest } = event;
      return JSON.stringify(rest);
    }
    case 'timestamp-without-offset':
      return JSON.stringify({ ...event, placedAt: event.placedAt.slice(0, 19) });
    case 'unit-price-as-number':
      return JSON.stringify({ ...event, lines: event.lines.map((l, i) => (i === 0 ? { ...l, unitPrice: Number(l.unitPrice) } : l)) });
  }
}
