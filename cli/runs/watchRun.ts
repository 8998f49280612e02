import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import type { CliIo } from '../CliIo';
import { EXIT, UnknownRunError } from '../errors';
import type { Target } from '../target';
import { formatSeconds, formatStatus, progressLine } from './formatProgress';
import { runOutcome } from './runOutcome';
import { runlessExecution } from './runlessExecution';
import { readRunProgress, type RunProgress } from './runProgress';

/** A live view: a bar on a terminal, a plain line per change otherwise. */
interface ProgressView {
  show(progress: RunProgress): void;
  stop(): void;
}

function progressView(io: CliIo): ProgressView {
  if (!io.isTty) {
    // A line when the run moves (not each time the rate wobbles).
    let last = '';
    return {
      show: (p) => {
        const moved = [p.status, p.stage, p.rollout?.current?.name, p.rollout?.current?.status, p.pendingExecutionArn, p.batches.done, p.batches.total, p.records.read, p.controls?.breaker.state, p.controls?.control?.at, p.controls?.concurrency?.current].join('|');
        if (moved !== last) io.err(progressLine(p));
        last = moved;
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    { format: '{runId} {stage} [{bar}] {value}/{total} batches | {records} records | {rate} records/s | ETA {eta_text}', stream: io.progressStream, hideCursor: true },
  );
  let started = false;
  return {
    show: (p) => {
      const rollout = p.rollout?.current ? ` ${p.rollout.current.name} ${p.rollout.current.status}` : '';
      const payload = { runId: p.runId, stage: `${p.stage ?? p.status}${rollout}`, records: p.records.read, rate: Math.round(p.recordsPerSecond ?? 0), eta_text: p.etaSeconds === undefined ? '-' : formatSeconds(p.etaSeconds) };
      if (!started) bar.start(p.batches.total ?? 0, p.batches.done, payload);
      else bar.update(p.batches.done, payload);
      if (p.batches.total !== undefined) bar.setTotal(p.batches.total);
      started = true;
    },
    stop: () => started && bar.stop(),
  };
}

/**
 * Follows a run until it ends, redrawing its progress; returns the exit code of how it ended
 * (runOutcome). Ctrl-C (io.signal) stops watching, not the run. A run whose execution has not yet
 * created its record is waited for while that execution runs.
 * @example
 *   process.exitCode = await watchRun(target, 'orders-fix-1', io); // 0 SUCCEEDED, 5 STOPPED, …
 */
export async function watchRun(target: Target, runId: string, io: CliIo): Promise<number> {
  const view = progressView(io);
  try {
    for (;;) {
      let progress: RunProgress | undefined;
      try {
        progress = await readRunProgress(target, runId, Date.now());
      } catch (error) {
        if (!(error instanceof UnknownRunError)) throw error;
        const early = await runlessExecution(target, runId);
        if (!early) throw error;
        if (early.state.status !== 'RUNNING') {
          view.stop();
          io.err(early.message);
          return EXIT.failed;
        }
      }
      if (progress) {
        view.show(progress);
        const outcome = runOutcome(progress);
        if (outcome.ended) {
          view.stop();
          io.out(formatStatus(progress));
          return outcome.exitCode;
        }
      }
      await sleep(io.pollMs ?? 1000, undefined, { signal: io.signal });
    }
  } catch (error) {
    view.stop();
    if ((error as Error).name === 'AbortError') {
      io.err(`stopped watching run ${runId}; the run goes on (\`backfill watch ${runId}\` again to follow it)`);
      return EXIT.interrupted;
    }
    throw error;
  }
}
