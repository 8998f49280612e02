import type { TaskHandler } from '../engine';
import type { TaskHandlerWrapper } from '../runtime/localFunctions';
import type { ReleasedRunLeases } from '../runtime/releaseLeasesOfGoneProcesses';

const clockTime = (ms: number): string => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

/** Lines saying which leases of dead processes this start took over (none: no lines). */
export function describeReleasedLeases(released: readonly ReleasedRunLeases[]): string[] {
  return released.map(({ runId, kind, leases }) => {
    const ids = leases.map((l) => l.batchId);
    const shown = ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
    const what = kind === 'rollback' ? 'rollback batch' : 'batch';
    return `took over ${leases.length} ${what} lease${leases.length === 1 ? '' : 's'} of run ${runId} (${shown}) held by an earlier process that is gone, instead of waiting until ${clockTime(Math.max(...leases.map((l) => l.leaseExpiresAtMs)))}`;
  });
}

/** Lines saying which leases of dead processes a rollback would take over at its start (a rehearsal takes none over). */
export function describeLeasesToTakeOver(found: readonly ReleasedRunLeases[]): string[] {
  return found.map(({ runId, kind, leases }) => {
    const ids = leases.map((l) => l.batchId);
    const shown = ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
    const what = kind === 'rollback' ? 'rollback batch' : 'batch';
    return `a rollback would first take over ${leases.length} ${what} lease${leases.length === 1 ? '' : 's'} of run ${runId} (${shown}) held by an earlier process that is gone; this rehearsal leaves them as they are and judges those batches as the rollback would`;
  });
}

/** The fields of a BatchLeaseHeldError (lambdas/lib/ledger) this reads, as it leaves a worker handler. */
interface LeaseHeld {
  readonly name: string;
  readonly batchId?: string;
  readonly leaseExpiresAtMs: number;
  readonly leaseSeconds?: number;
}

const isLeaseHeld = (error: unknown): error is LeaseHeld =>
  (error as { name?: unknown } | null)?.name === 'BatchLeaseHeldError' && typeof (error as { leaseExpiresAtMs?: unknown }).leaseExpiresAtMs === 'number';

/** The progress line for a batch the worker found leased: what is waited for, until when. */
export function leaseWaitLine(error: LeaseHeld): string {
  const lease = error.leaseSeconds === undefined ? '' : ` (lease ${error.leaseSeconds} s)`;
  return `batch ${error.batchId ?? '?'} is leased by a previous attempt until ${clockTime(error.leaseExpiresAtMs)}${lease}; waiting`;
}

/**
 * Wraps each task handler so that a batch refused because another attempt holds its lease prints a
 * line saying so (the worker's retries would otherwise wait in silence); the error still goes to the
 * engine, whose Retry waits as on AWS.
 */
export function reportLeaseWaits(print: (line: string) => void): TaskHandlerWrapper {
  return (_functionName: string, handler: TaskHandler): TaskHandler =>
    async (input) => {
      try {
        return await handler(input);
      } catch (error) {
        if (isLeaseHeld(error)) print(leaseWaitLine(error));
        throw error;
      }
    };
}
