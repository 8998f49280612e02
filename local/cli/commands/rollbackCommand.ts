import { rolledBackCleanly, type RollbackReport } from '../../../lambdas/lib/rollback';
import { formatRollbackReport } from '../formatRollbackReport';
import type { CliOptions } from '../options';
import { executeRollback } from '../rollbackExecution';
import type { CommandIo } from './CommandIo';

/**
 * `--rollback RUN_ID [--force] [--keep-newer-run-writes]`: rolls the run back through
 * statemachines/rollback.asl.json and prints the report. Exits 0 when ROLLED_BACK, 4 when
 * ROLLED_BACK_WITH_CONFLICTS (items changed since were left alone: see the list, with what differs);
 * a refusal or failure throws (exit 1).
 */
export async function rollbackCommand(options: CliOptions, io: CommandIo): Promise<number> {
  const runId = options.rollback!;
  const { output, elapsedMs } = await executeRollback(options.dataDir!, { runId, mode: 'apply', force: options.force, keepNewerRunWrites: options.keepNewerRunWrites }, io);
  const report = output as RollbackReport;
  const summary = { ...report, elapsedMs, itemsPerSecond: report.alreadyRolledBack ? 0 : Math.round((report.counts.entries / Math.max(elapsedMs, 1)) * 1000) };
  io.out(options.json ? JSON.stringify(summary) : formatRollbackReport(summary));
  return rolledBackCleanly(report) ? 0 : 4;
}
