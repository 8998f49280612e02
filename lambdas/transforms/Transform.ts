import type { z } from 'zod';

/** A target item as the DynamoDB document client writes it. */
export type TargetItem = Record<string, unknown>;

/**
 * The transform contract: a pure, deterministic, versioned function from one source record to zero
 * or more target items. No clock, no randomness, no I/O: batching, retries, snapshots, conditional
 * writes and stamps are the orchestrator's job.
 *
 * Every output item must carry the target's key attributes and its version attribute, set to the
 * version of the source record it derives from (so re-running never bumps it).
 *
 * @example
 *   const doubler: Transform<{ id: string; version: number; n: number }> = {
 *     name: 'doubler', version: 1,
 *     description: 'n times two',
 *     inputSchema: z.object({ id: z.string(), version: z.number().int(), n: z.number() }),
 *     outputSchema: z.object({ id: z.string(), version: z.number().int(), doubled: z.number() }),
 *     apply: (r) => [{ id: r.id, version: r.version, doubled: r.n * 2 }],
 *   };
 */
export interface Transform<In = unknown, Out extends TargetItem = TargetItem> {
  readonly name: string;
  readonly version: number;
  readonly description: string;
  readonly inputSchema: z.ZodType<In>;
  readonly outputSchema: z.ZodType<Out>;
  apply(record: In): Out[];
}

/** `name@version`, the form specs and stamps use. */
export function transformId(transform: Pick<Transform, 'name' | 'version'>): string {
  return `${transform.name}@${transform.version}`;
}
