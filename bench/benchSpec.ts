import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpecOverrides } from './jobs';

/** The workload every measurement runs: the README's example spec (the demo's bug fix). */
export const EXAMPLE_SPEC_PATH = join(__dirname, '..', 'examples', 'orders-spec.json');

/** The example spec with the batch size, concurrency and batches per worker under test. */
export function benchSpec(overrides: SpecOverrides): Record<string, unknown> {
  const spec = JSON.parse(readFileSync(EXAMPLE_SPEC_PATH, 'utf8')) as Record<string, unknown>;
  return { ...spec, ...overrides };
}
