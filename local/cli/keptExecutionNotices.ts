import { keptRunningExecutions, type KeptRunningExecution } from '../cloud/keptRunningExecutions';
import { StateDirUnreadableError } from '../cloud/stepfunctions';

/**
 * One line per execution the data dir keeps RUNNING. --rollback, --rehearse-rollback and --dump
 * do not start the Step Functions server, so such an execution is not started again beside them
 * (a backfill would write while the rollback restores); the line says what becomes of it later.
 * @example
 *   for (const line of keptExecutionNotices('.backfill-local')) io.info(line);
 *   // execution arn:aws:states:…:execution:Backfill:r1 of run r1 was running when its process ended; it is left as it is: …
 */
export function keptExecutionNotices(dataDir: string | undefined): string[] {
  if (dataDir === undefined) return [];
  let kept: KeptRunningExecution[];
  try {
    kept = keptRunningExecutions(dataDir);
  } catch (error) {
    // These modes never read those executions: a kept one that cannot be read is reported, not fatal.
    if (error instanceof StateDirUnreadableError) return [`${error.message}; whatever executions it keeps are left as they are`];
    throw error;
  }
  return kept.map(
    ({ executionArn, runId }) =>
      `execution ${executionArn} of run ${runId} was running when its process ended; it is left as it is: ` +
      `the next npm start or backfill local up on this data dir starts it again (once the run is rolling back or rolled back, its StartRun refuses it and it ends FAILED, writing nothing)`,
  );
}
