import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** What Step Functions says of one execution. */
export interface ExecutionState {
  readonly executionArn: string;
  readonly status: string;
  readonly startDate?: Date;
  readonly stopDate?: Date;
  /** The state the execution last entered (its stage), when the history shows one. */
  readonly stage?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly output?: string;
}

/**
 * The ARN of the execution named `name` of a state machine (`...:stateMachine:M` → `...:execution:M:name`):
 * for runs recorded before the run record kept its execution's ARN.
 * @example
 *   executionArnOf('arn:aws:states:us-east-1:000000000000:stateMachine:Backfill', 'r1');
 *   // 'arn:aws:states:us-east-1:000000000000:execution:Backfill:r1'
 */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Events that say which state an execution is in, newest first, are looked for among this many. */
const HISTORY_PAGE = 30;

/**
 * The execution's status and its current stage: the last state entered, from GetExecutionHistory.
 * Undefined when Step Functions does not know the execution.
 * @example
 *   const state = await describeExecutionState(sfn, arn); // state?.stage === 'ProcessBatches'
 */
export async function describeExecutionState(sfn: SFNClient, executionArn: string): Promise<ExecutionState | undefined> {
  let described;
  try {
    described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: HISTORY_PAGE }));
  const stage = history.events?.find((event) => event.stateEnteredEventDetails?.name)?.stateEnteredEventDetails?.name;
  return {
    executionArn,
    status: described.status ?? 'UNKNOWN',
    startDate: described.startDate,
    stopDate: described.stopDate,
    stage,
    error: described.error,
    cause: described.cause,
    output: described.output,
  };
}

/** Whether an execution name is the run's own or one `backfill resume` gives it (`<runId>-r<n>`, the runId cut to fit). */
function isExecutionNameOfRun(name: string, runId: string): boolean {
  if (name === runId) return true;
  const resume = /^(.*)-r\d+$/.exec(name);
  return resume !== null && resume[1]!.length > 0 && runId.startsWith(resume[1]!);
}

/**
 * A running execution of the run other than the one its record names: a resume that has not yet
 * reached StartRun (the record still shows the run as it was). Found by the names `backfill resume` gives.
 * @example
 *   await findNewerRunningExecution(sfn, stateMachineArn, 'r1', recordedArn); // 'arn:…:execution:Backfill:r1-r2'
 */
export async function findNewerRunningExecution(sfn: SFNClient, stateMachineArn: string, runId: string, recordedArn: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', nextToken }));
    const found = page.executions?.find((e) => e.executionArn !== recordedArn && isExecutionNameOfRun(e.name ?? '', runId));
    if (found) return found.executionArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}
