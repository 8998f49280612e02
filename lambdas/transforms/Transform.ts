import type { z } from 'zod';

/** A target item as the DynamoDB document client writes it. */
export type TargetItem = Record<string, unknown>;

/**
 * A named invariant a transform declares on its output items, checked on every produced item
 * before a stage's writes are trusted (lambdas/lib/validation/checkRules.ts). It is given the
 * source record too, because some invariants relate the item to where it came from (the UTC date
 * of `placedAt`). Pure, like the transform: no clock, no randomness, no I/O.
 *
 * @example
 *   const nonNegative: OutputRule<{ n: number }, { id: string; doubled: number }> = {
 *     name: 'doubled-non-negative', attribute: 'doubled',
 *     description: 'doubled is zero or more',
 *     check: (item) => (item.doubled >= 0 ? undefined : `doubled is ${item.doubled}, below 0`),
 *   };
 */
export interface OutputRule<In = unknown, Out extends TargetItem = TargetItem> {
  /** Unique within the transform; kebab-case, e.g. `total-cents-exact`. */
  readonly name: string;
  /** One sentence an approver reads on the evidence page. */
  readonly description: string;
  /** The output attribute the rule is about; its value is what a violation sample shows. */
  readonly attribute: string;
  /** `undefined` when the item satisfies the rule, otherwise what is wrong with it. */
  check(item: Out, source: In): string | undefined;
}

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
  /** Invariants on every output item; none declared means nothing to check. */
  readonly rules?: readonly OutputRule<In, Out>[];
}

/** `name@version`, the form specs and stamps use. */
export function transformId(transform: Pick<Transform, 'name' | 'version'>): string {
  return `${transform.name}@${transform.version}`;
}
