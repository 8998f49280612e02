import type { Operation } from './ApiContext';
import { describeExecution, listExecutions, startExecution, stopExecution } from './executions';
import { getExecutionHistory } from './history';
import { describeMapRun, listMapRuns, updateMapRun } from './mapRuns';
import { describeStateMachine, listStateMachines } from './stateMachines';
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './taskTokens';

export type { ApiContext, Operation } from './ApiContext';

/** The operations the local Step Functions API serves, by the name after `AWSStepFunctions.` in X-Amz-Target. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  ListStateMachines: listStateMachines,
  DescribeStateMachine: describeStateMachine,
  StartExecution: startExecution,
  DescribeExecution: describeExecution,
  ListExecutions: listExecutions,
  StopExecution: stopExecution,
  GetExecutionHistory: getExecutionHistory,
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
  ListMapRuns: listMapRuns,
  DescribeMapRun: describeMapRun,
  UpdateMapRun: updateMapRun,
};
