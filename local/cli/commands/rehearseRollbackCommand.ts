import type { RehearsalReport } from '../../../lambdas/lib/rollback';
import { formatRehearsalReport } from '../formatRollbackReport';
import type { CliOptions } from '../options';
import { executeRollback } from '../rollbackExecution';
import type { CommandIo } from './CommandIo';

/**
 * `--rehearse-rollback RUN_ID [--force]`: runs statemachines/rollback.asl.json with `mode: "rehearse"`
 * (no write to the target or the batch records, no status change) and prints what a rollback (with
 * --force: a forced one) would do. Exits 0 when a rollback would end ROLLED_BACK with no problem; 4
 * when it would be refused (the run is still RUNNING and no --force; a snapshot missing or corrupt,
 * named by key; a later run wrote over the run), would leave conflicts (listed with what
 * differs), or a batch is still held — as the rollback itself would exit 4 or 1; a failure throws (exit 1).
 */
export async function rehearseRollbackCommand(options: CliOptions, io: CommandIo): Promise<number> {
  const runId = options.rehearseRollback!;
  const { output, elapsedMs } = await executeRollback(options.dataDir!, { runId, mode: 'rehearse', force: options.force }, io);
  if ((output as { alreadyRolledBack?: boolean }).alreadyRolledBack) {
    io.info(`run ${runId} is already rolled back: there is nothing to rehearse`);
    io.out(options.json ? JSON.stringify(output) : `Run ${runId} was already rolled back; nothing to rehearse.`);
    return 0;
  }
  const report = output as RehearsalReport;
  const summary = { ...report, elapsedMs, itemsPerSecond: Math.round((report.entries / Math.max(elapsedMs, 1)) * 1000) };
  io.out(options.json ? JSON.stringify(summary) : formatRehearsalReport(summary));
  // No problem and no conflict: it would end ROLLED_BACK (REJECTED_ROLLED_BACK for a rejected run, whose ending does not tell conflicts apart).
  return report.healthy && report.conflicts === 0 ? 0 : 4;
}
