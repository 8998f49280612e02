import { forecastRemaining, type ForecastResult, type PriceTable } from '../../cost';
import type { Spec } from '../../spec';
import type { StageMeasurement } from './measureStage';

/**
 * The forecast for the plan's batches after the stage. Dollars scale the stage's metered usage by
 * records. Time does not scale the stage's wall clock alone: a canary of 2 batches runs 2 children
 * at once, the rest of the run `maxConcurrency`; so the stage's span is first turned into the span
 * it would have had at the remaining run's parallelism (children at once), then scaled by records.
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
  const elapsedMs = (measured.elapsedMs * parallelism(measured.batches)) / parallelism(remaining.batches);
  return forecastRemaining({ stage: { batches: measured.batches, records: measured.records, elapsedMs, usage: measured.usage }, remaining }, prices);
}
