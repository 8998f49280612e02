import type { EmfDatapoint } from './emfDocument';

/** A metric as CloudWatch identifies it: namespace, name and exactly these dimensions. */
export interface MetricSeries {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

interface Sample {
  readonly timestampMs: number;
  readonly value: number;
}

const seriesKey = (series: MetricSeries): string =>
  JSON.stringify([series.namespace, series.metricName, Object.entries(series.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);

/** CloudWatch keeps a high-resolution metric to the second and a standard one to the minute. */
const storedTimestamp = (datapoint: EmfDatapoint): number => {
  const granularityMs = datapoint.highResolution ? 1_000 : 60_000;
  return Math.floor(datapoint.timestampMs / granularityMs) * granularityMs;
};

/**
 * The captured metrics, per series, as CloudWatch would store them (each value one sample at its
 * stored timestamp); samples older than `retentionMs` before the newest one are dropped, so a long
 * `local up` keeps a bounded window.
 * @example
 *   const store = new MetricStore();
 *   store.add(datapointsOfEmf(document));
 *   store.samples({ namespace: 'Backfill', metricName: 'BatchesFailed', dimensions: { service: 'worker' } }, start, end); // [1, 1]
 */
export class MetricStore {
  private readonly series = new Map<string, Sample[]>();
  private newestMs = 0;

  /** @param retentionMs how far back evaluations may look; at least the longest evaluation range of the alarms. @default one hour */
  constructor(private readonly retentionMs = 3_600_000) {}

  add(datapoints: readonly EmfDatapoint[]): void {
    for (const datapoint of datapoints) {
      const key = seriesKey(datapoint);
      let samples = this.series.get(key);
      if (!samples) this.series.set(key, (samples = []));
      const timestampMs = storedTimestamp(datapoint);
      for (const value of datapoint.values) samples.push({ timestampMs, value });
      if (timestampMs > this.newestMs) this.newestMs = timestampMs;
      // Pruned in bulk so an add stays cheap; flushes of concurrent handlers arrive slightly out of order.
      if (samples.length > 4_096 && samples[0]!.timestampMs < this.newestMs - this.retentionMs) {
        this.series.set(key, samples.filter((s) => s.timestampMs >= this.newestMs - this.retentionMs));
      }
    }
  }

  /** Every series stored so far. */
  list(): MetricSeries[] {
    return [...this.series.keys()].map((key) => {
      const [namespace, metricName, dimensions] = JSON.parse(key) as [string, string, Array<[string, string]>];
      return { namespace, metricName, dimensions: Object.fromEntries(dimensions) };
    });
  }

  /** The values of `series` stored at `startMs` <= timestamp < `endMs`. */
  samples(series: MetricSeries, startMs: number, endMs: number): number[] {
    const samples = this.series.get(seriesKey(series)) ?? [];
    return samples.filter((s) => s.timestampMs >= startMs && s.timestampMs < endMs).map((s) => s.value);
  }
}
