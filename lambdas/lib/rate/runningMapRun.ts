import { ListMapRunsCommand, UpdateMapRunCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { InvalidMapRunConcurrencyError } from './errors';

type Sfn = Pick<SFNClient, 'send'>;

/**
 * The Map Run of `executionArn` that is running now (no stop date; the latest started when several
 * are), or undefined when none is.
 *
 * @example
 *   const mapRunArn = await runningMapRun(sfn, executionArn);
 */
export async function runningMapRun(sfn: Sfn, executionArn: string): Promise<string | undefined> {
  let running: { mapRunArn: string; startMs: number } | undefined;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListMapRunsCommand({ executionArn, nextToken }));
    for (const mapRun of page.mapRuns ?? []) {
      const startMs = mapRun.startDate?.getTime() ?? 0;
      if (mapRun.mapRunArn && mapRun.stopDate === undefined && (!running || startMs >= running.startMs)) running = { mapRunArn: mapRun.mapRunArn, startMs };
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return running?.mapRunArn;
}

/**
 * Sets a Map Run's MaxConcurrency (never 0, which UpdateMapRun takes as unlimited).
 * @throws InvalidMapRunConcurrencyError for a value below 1 or not whole (nothing is sent).
 * @example
 *   await setMapRunConcurrency(sfn, runId, mapRunArn, 4);
 */
export async function setMapRunConcurrency(sfn: Sfn, runId: string, mapRunArn: string, maxConcurrency: number): Promise<void> {
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) throw new InvalidMapRunConcurrencyError(runId, mapRunArn, maxConcurrency);
  await sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency }));
}
