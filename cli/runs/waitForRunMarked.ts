import { setTimeout as sleep } from 'node:timers/promises';
import type { CliIo } from '../CliIo';
import type { Target } from '../target';
import { readRun } from './runProgress';

/** How long `stop` waits for the status-change rule to mark the run, unless the io says otherwise. */
export const RUN_MARKED_DEADLINE_MS = 60_000;

type RunOfTarget = Awaited<ReturnType<typeof readRun>>['run'];

/**
 * Reads the run record every `io.pollMs` until it is no longer RUNNING (the stack's status-change
 * rule marked it STOPPED) or the deadline (`io.runMarkedDeadlineMs`, default 60 s) passes. The CLI
 * never writes the ledger: on AWS the operator policy has no ledger write, on purpose.
 * @returns the run as marked, or undefined when the deadline passed with the run still RUNNING
 * @example
 *   const marked = await waitForRunMarked(target, 'orders-fix-1', io); // marked?.status === 'STOPPED'
 */
export async function waitForRunMarked(target: Target, runId: string, io: CliIo): Promise<RunOfTarget | undefined> {
  const deadline = Date.now() + (io.runMarkedDeadlineMs ?? RUN_MARKED_DEADLINE_MS);
  for (;;) {
    const { run } = await readRun(target, runId);
    if (run.status !== 'RUNNING') return run;
    if (Date.now() >= deadline) return undefined;
    await sleep(io.pollMs ?? 1000);
  }
}
