export { CostError, InvalidForecastInputError } from './errors';
export { forecastRemaining, NOT_COUNTED } from './forecastRemaining';
export type { CannotForecast, Forecast, ForecastInput, ForecastLine, ForecastPrices, ForecastResult, ForecastTimeBasis, StageUsage, UsageItem } from './forecastTypes';
export { loadPriceTable, PriceTableSchema, type PriceTable } from './priceTable';
