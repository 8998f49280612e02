import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { RUN_SK, runPk } from '../../lambdas/lib/ledger/keys';
import type { Deps } from '../../lambdas/lib/runtime/Deps';

/**
 * The parts of the run's `control` and of the breaker record (i12 contracts, owner C) that say why
 * a run paused. Read here as data entering the CLI (zod, unknown fields ignored): the CLI prints
 * them, it does not act on them.
 */
const PauseControlSchema = z.object({ trigger: z.string(), by: z.string(), reason: z.string(), at: z.string().optional() });
const BreakerSchema = z.object({
  state: z.enum(['OPEN', 'CLOSED']),
  reason: z.string().optional(),
  openedBy: z.string().optional(),
  openedAt: z.string().optional(),
  alarm: z.object({ name: z.string() }).optional(),
});
const PausedRunItemSchema = z.object({ status: z.string(), control: PauseControlSchema.optional() });

/** Why a run is paused: who or what paused it, and the breaker as it is now. */
export interface PauseCause {
  readonly status: string;
  readonly control?: z.infer<typeof PauseControlSchema>;
  readonly breaker?: z.infer<typeof BreakerSchema>;
}

/** The breaker's key (one record per ledger, shared by every run). */
const BREAKER_KEY = { pk: 'BREAKER', sk: 'BREAKER' };

/**
 * The run's status and pause control and the breaker record, in one consistent BatchGetItem.
 * @returns undefined when the run does not exist
 * @example
 *   const cause = await readPauseCause(env.deps, 'orders-fix-1'); // { status: 'PAUSED', control: { trigger: 'breaker', ... }, breaker: { state: 'OPEN', ... } }
 */
export async function readPauseCause(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<PauseCause | undefined> {
  const runKey = { pk: runPk(runId), sk: RUN_SK };
  const { Responses } = await deps.clients.ddb.send(new BatchGetCommand({ RequestItems: { [deps.ledgerTable]: { Keys: [runKey, BREAKER_KEY], ConsistentRead: true } } }));
  const items = Responses?.[deps.ledgerTable] ?? [];
  const runItem = items.find((item) => item.pk === runKey.pk);
  if (!runItem) return undefined;
  const run = PausedRunItemSchema.parse(runItem);
  const breakerItem = items.find((item) => item.pk === BREAKER_KEY.pk);
  const breaker = breakerItem ? BreakerSchema.parse(breakerItem) : undefined;
  return { status: run.status, ...(run.control ? { control: run.control } : {}), ...(breaker ? { breaker } : {}) };
}

/**
 * Resolves with the pause cause once the run is PAUSED (it drained and waits for an operator),
 * polling the ledger; never resolves when `signal` aborts first.
 * @example
 *   const paused = await untilPaused(env.deps, runId, { intervalMs: 250, signal });
 */
export function untilPaused(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, options: { intervalMs: number; signal: AbortSignal }): Promise<PauseCause> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const poll = async () => {
      if (options.signal.aborted) return;
      const cause = await readPauseCause(deps, runId).catch(() => undefined);
      if (cause?.status === 'PAUSED') return resolve(cause);
      if (!options.signal.aborted) timer = setTimeout(() => void poll(), options.intervalMs);
    };
    options.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    void poll();
  });
}

/** Who or what paused the run, and why, from its control record and the breaker. */
function pauseReason({ control, breaker }: PauseCause): string {
  if (control?.trigger === 'breaker' || (!control && breaker?.state === 'OPEN')) {
    const details = [breaker?.alarm ? `alarm ${breaker.alarm.name}` : '', breaker?.openedAt ? `opened ${breaker.openedAt}` : ''].filter(Boolean);
    return `by the circuit breaker: ${breaker?.reason ?? control?.reason ?? 'no reason recorded'}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  }
  if (control?.trigger === 'failures') return `because failures passed the tolerance: ${control.reason}`;
  if (control) return `by ${control.by}: ${control.reason}`;
  return 'with no recorded cause';
}

/**
 * What `npm start` prints for a paused run: why (the breaker's alarm and reason, or who paused it),
 * that nothing more is written, and how to resume or abort it.
 * @example
 *   describePausedRun('orders-fix-1', cause, '.backfill-local'); // ['Run orders-fix-1 is PAUSED by the circuit breaker: ...', ...]
 */
export function describePausedRun(runId: string, cause: PauseCause, dataDir: string | undefined): string[] {
  const open = cause.breaker?.state === 'OPEN';
  const local = dataDir ? `--local ${dataDir}` : '--local DIR';
  return [
    `Run ${runId} is PAUSED ${pauseReason(cause)}.`,
    'No batch starts writing until it resumes; what was written stays, finished batches are not written again.',
    dataDir
      ? `To resume, with \`npx backfill local up --data-dir ${dataDir}\` serving the paused run:`
      : 'Without --data-dir the paused run was not kept: run it again with --data-dir DIR to be able to resume it; then, with `npx backfill local up --data-dir DIR` serving it:',
    ...(open ? [`  npx backfill ${local} breaker close --reason "<why it is safe again>"`] : []),
    `  npx backfill ${local} resume ${runId}`,
    `or stop it for good: npx backfill ${local} abort ${runId} --reason "<why>" [--rollback]`,
  ];
}
