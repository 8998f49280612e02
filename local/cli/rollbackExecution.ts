import { performance } from 'node:perf_hooks';
import type { ExecutionOutcome } from '../engine';
import { startLocalEnvironment } from '../runtime/LocalEnvironment';
import { findLeasesOfGoneProcesses } from '../runtime/releaseLeasesOfGoneProcesses';
import { runRollbackLocally } from '../runtime/runRollbackLocally';
import type { CommandIo } from './commands/CommandIo';
import { RollbackFailedError, StoppedByOperatorError } from './errors';
import { keptExecutionNotices } from './keptExecutionNotices';
import { describeLeasesToTakeOver, describeReleasedLeases } from './leaseNotices';
import { ProgressBar } from './ProgressBar';
import { stopOnInterrupt } from './stopOnInterrupt';

/**
 * Runs statemachines/rollback.asl.json on the emulators kept in `dataDir`, with a progress bar, and
 * returns its output and how long it took. A rollback first takes over the leases of gone processes
 * (this process holds the data dir's lock); a rehearsal takes none over, it says which the rollback
 * would and judges those batches as the rollback would. A refused or failed rollback throws RollbackFailedError
 * (Ctrl-C stops it; the run stays ROLLING_BACK and the same command resumes it).
 */
export async function executeRollback(
  dataDir: string,
  input: { runId: string; mode: 'apply' | 'rehearse'; force?: boolean; keepNewerRunWrites?: boolean },
  io: CommandIo,
): Promise<{ output: unknown; elapsedMs: number; outcome: ExecutionOutcome }> {
  // A rehearsal writes nothing to the ledger's batch records: it only says what the rollback would take over.
  const rehearsing = input.mode === 'rehearse';
  const started = await startLocalEnvironment({ dataDir, codeVersion: io.codeVersion, takeOverLeases: !rehearsing });
  const env = rehearsing ? { ...started, deps: { ...started.deps, leaseHoldersGone: true } } : started;
  const what = input.mode === 'apply' ? 'rollback' : 'rehearsal';
  const next = input.mode === 'apply' ? undefined : 'Nothing was written: run the same command again to rehearse it again.';
  const stoppedError = (signal: NodeJS.Signals) => new StoppedByOperatorError(`The ${what} of run ${input.runId}`, signal, dataDir, next);
  const stop = stopOnInterrupt(io.info, (signal) => stoppedError(signal).message);
  try {
    const leaseLines = rehearsing ? describeLeasesToTakeOver(await findLeasesOfGoneProcesses(env.deps)) : describeReleasedLeases(env.releasedLeases);
    for (const line of [...keptExecutionNotices(dataDir), ...leaseLines]) io.info(line);
    const bar = new ProgressBar(io.progressStream);
    const started = performance.now();
    const outcome = await runRollbackLocally({
      env,
      input: { runId: input.runId, mode: input.mode, ...(input.force ? { force: true } : {}), ...(input.keepNewerRunWrites ? { keepNewerRunWrites: true } : {}) },
      signal: stop.signal,
      wrapTaskHandler: stop.wrap,
      onEvent: (event) => {
        if (event.kind === 'child-succeeded' || event.kind === 'child-failed' || event.kind === 'map-run-started') {
          bar.update(event.progress.succeeded + event.progress.failed, event.progress.totalChildren, event.stateName === 'RestoreBatches' ? 'batches restored' : 'batches checked');
        }
      },
    });
    bar.finish();
    const elapsedMs = Math.round(performance.now() - started);
    const stoppedBy = stop.stoppedBy();
    if (stoppedBy && outcome.status === 'ABORTED') throw stoppedError(stoppedBy);
    if (outcome.status !== 'SUCCEEDED') throw new RollbackFailedError(input.runId, what, outcome.error ?? outcome.status, outcome.cause ?? '');
    return { output: outcome.output, elapsedMs, outcome };
  } finally {
    await stop.settle();
    await env.close();
  }
}
