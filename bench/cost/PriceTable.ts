import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

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

export const PRICE_TABLE_PATH = join(__dirname, 'prices.json');

/** Reads and checks the price table (bench/cost/prices.json by default). */
export function loadPriceTable(path = PRICE_TABLE_PATH): PriceTable {
  return PriceTableSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
