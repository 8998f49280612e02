import { z } from 'zod';
// Imported as a module (not read from disk) so that esbuild bundles the table into a Lambda.
import pricesJson from './prices.json';

const usd = z.number().nonnegative();
const source = z.string().regex(/https?:\/\/\S+/, 'must cite the pricing page by URL');

/** The price table: list prices for one region on one date, each section citing its pricing page. */
export const PriceTableSchema = z
  .object({
    region: z.string().min(1),
    checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be the date the prices were checked, YYYY-MM-DD'),
    currency: z.literal('USD'),
    note: z.string(),
    dynamodb: z.object({
      source,
      writeRequestUnit: usd,
      readRequestUnit: usd,
      writeUnitBytes: z.number().int().positive(),
      readUnitBytes: z.number().int().positive(),
      eventuallyConsistentReadFactor: z.number().positive().max(1),
    }),
    stepFunctions: z.object({
      source,
      standardStateTransition: usd,
      expressRequest: usd,
      expressGbSecond: usd,
      expressMemoryMb: z.number().positive(),
      expressMemoryStepMb: z.number().positive(),
      expressDurationStepMs: z.number().positive(),
    }),
    lambda: z.object({ source, request: usd, gbSecondArm64: usd, durationStepMs: z.number().positive() }),
    s3: z.object({
      source,
      putCopyPostListRequest: usd,
      getAndOtherRequest: usd,
      freeOperations: z.array(z.string()),
      putClassOperations: z.array(z.string()),
    }),
    functions: z.object({ source: z.string(), memoryMb: z.record(z.string(), z.number().int().positive()) }),
  })
  .strict();
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** The table's raw JSON (lambdas/lib/cost/prices.json), for tests that alter it. */
export const PRICE_TABLE_JSON: unknown = pricesJson;

/**
 * The project's one price table (lambdas/lib/cost/prices.json), checked against its schema.
 *
 * @example
 * const prices = loadPriceTable();
 * prices.dynamodb.writeRequestUnit; // 6.25e-7 USD per write unit, checked prices.checked
 */
export function loadPriceTable(): PriceTable {
  return PriceTableSchema.parse(pricesJson);
}
