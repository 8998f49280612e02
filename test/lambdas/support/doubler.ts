import { z } from 'zod';
import type { Transform } from '../../../lambdas/transforms/Transform';

const DoublerInputSchema = z.object({ id: z.string().min(1), version: z.number().int().min(1), n: z.number() }).strict();
const DoublerOutputSchema = z.object({ id: z.string(), version: z.number().int(), doubled: z.number() }).strict();

/**
 * The tests' transform: `{ id, version, n }` → `{ id, version, doubled: 2n }`, one item per record,
 * so every count in a test is exact.
 */
export const doubler: Transform<z.infer<typeof DoublerInputSchema>> = {
  name: 'doubler',
  version: 1,
  description: 'test transform: n times two',
  inputSchema: DoublerInputSchema,
  outputSchema: DoublerOutputSchema,
  apply: (record) => [{ id: record.id, version: record.version, doubled: record.n * 2 }],
};

/** One source line for {@link doubler}. */
export const sourceLine = (id: string, version: number, n: number): string => JSON.stringify({ id, version, n });

/** `count` source lines `item-0001`… at the given version, with n = index. */
export const sourceLines = (count: number, version = 1): string[] =>
  Array.from({ length: count }, (_, i) => sourceLine(`item-${String(i + 1).padStart(4, '0')}`, version, i + 1));
