import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpecOverrides } from './jobs';

/** The workload every measurement runs: the README's example spec (the demo's bug fix). */
export const EXAMPLE_SPEC_PATH = join(__dirname, '..', 'examples', 'orders-spec.json');

/** Set by `npm run bench -- --spec FILE` (children inherit it): another spec over the same demo data. */
export const BENCH_SPEC_ENV = 'BACKFILL_BENCH_SPEC';

/** The spec file the bench runs. */
export const benchSpecPath = (): string => process.env[BENCH_SPEC_ENV] ?? EXAMPLE_SPEC_PATH;

/** The bench's spec with the batch size, concurrency and batches per worker under test (those given). */
export function benchSpec(overrides: Partial<SpecOverrides>): Record<string, unknown> {
  const spec = JSON.parse(readFileSync(benchSpecPath(), 'utf8')) as Record<string, unknown>;
  return { ...spec, ...overrides };
}
