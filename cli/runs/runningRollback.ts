import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** Whether an execution name is one `backfill rollback` gives the run (`<runId>-rollback-<n>`, the runId cut to fit). */
function isRollbackNameOfRun(name: string, runId: string): boolean {
  const rollback = /^(.*)-rollback-\d+$/.exec(name);
  return rollback !== null && rollback[1]!.length > 0 && runId.startsWith(rollback[1]!);
}

/**
 * The ARN of a running rollback execution of the run, found by the names `backfill rollback` gives.
 * @example
 *   await findRunningRollback(sfn, rollbackStateMachineArn, 'r1'); // 'arn:…:execution:Rollback:r1-rollback-1'
 */
export async function findRunningRollback(sfn: SFNClient, rollbackStateMachineArn: string, runId: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: rollbackStateMachineArn, statusFilter: 'RUNNING', nextToken }));
    const found = page.executions?.find((e) => isRollbackNameOfRun(e.name ?? '', runId));
    if (found) return found.executionArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}
