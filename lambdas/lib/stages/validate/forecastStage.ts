import { forecastRemaining, type ForecastResult, type ForecastTimeBasis, type PriceTable } from '../../cost';
import type { Spec } from '../../spec';
import type { BatchTime, StageMeasurement } from './measureStage';

/**
 * The forecast for the plan's batches after the stage. Dollars scale the stage's metered usage by
 * records. Time does not scale the stage's wall clock alone: a canary of 2 batches runs 2 children
 * at once, the rest of the run `maxConcurrency`, so time is taken per parallel slot.
 *
 * The canary's batches are the run's first calls, and first calls are slow (a cold process: in
 * the bench 6.5 s against 3.1 s later), so its wall span overstates the rest about twofold. When
 * some of the stage's batches started after its first batch ended (they ran warm), the time is
 * the median of those batches' durations per batch, `parallelism` at a time (basis
 * `warm-batch-median`; the median so one straggler does not move it). When every batch was a
 * first call there is nothing warm to measure: the span is used, turned into the span it would
 * have had at the rest's parallelism (basis `stage-span`). The evidence names the basis.
 *
 * @example
 *   forecastStage(measured, { batches: 98, records: 49_000 }, spec, loadPriceTable()).status; // 'forecast'
 */
export function forecastStage(
  measured: StageMeasurement,
  remaining: { readonly batches: number; readonly records: number },
  spec: Pick<Spec, 'batchesPerWorker' | 'maxConcurrency'>,
  prices: PriceTable,
): ForecastResult {
  const parallelism = (batches: number) => Math.max(1, Math.min(spec.maxConcurrency, Math.ceil(batches / spec.batchesPerWorker)));
  const warm = warmBatches(measured.batchTimes);
  const basis: ForecastTimeBasis = warm.length > 0 ? 'warm-batch-median' : 'stage-span';
  // Either way: what the stage would have taken at the rest's parallelism; forecastRemaining scales it by records.
  const elapsedMs = warm.length > 0
    ? (median(warm.map((batch) => batch.durationMs)) * measured.batches) / parallelism(remaining.batches)
    : (measured.elapsedMs * parallelism(measured.batches)) / parallelism(remaining.batches);
  const forecast = forecastRemaining({ stage: { batches: measured.batches, records: measured.records, elapsedMs, usage: measured.usage }, remaining }, prices);
  if (forecast.status !== 'forecast') return forecast;
  return { ...forecast, time: { ...forecast.time, basis, basisBatches: warm.length > 0 ? warm.length : measured.batches } };
}

/** The batches that started once the stage's first batch had ended: calls on a process already warm. */
function warmBatches(batches: readonly BatchTime[]): readonly BatchTime[] {
  if (batches.length < 2) return [];
  const firstEnd = Math.min(...batches.map((batch) => batch.startedAtMs + batch.durationMs));
  return batches.filter((batch) => batch.startedAtMs >= firstEnd);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
