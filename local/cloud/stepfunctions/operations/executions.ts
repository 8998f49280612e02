import { z } from 'zod';
import { stateMachineArn } from '../../../engine/arns';
import { InvalidExecutionInputError, ValidationError } from '../errors';
import { checkExecutionArn } from '../model/arns';
import { checkExecutionName } from '../model/executionName';
import { EXECUTION_STATUSES, type ExecutionRecord } from '../model/ExecutionRecord';
import type { ApiContext, Operation } from './ApiContext';
import { Arn, MaxResults, NextToken } from './common';
import { paginate } from './paginate';
import { epochSeconds, parseRequest } from './parseRequest';

const MAX_INPUT_BYTES = 262_144;

const StartExecutionSchema = z.object({ stateMachineArn: Arn, name: z.string().optional(), input: z.string().optional(), traceHeader: z.string().max(256).optional() });
const DescribeExecutionSchema = z.object({ executionArn: Arn, includedData: z.enum(['ALL_DATA', 'METADATA_ONLY']).optional() });
const ListExecutionsSchema = z.object({
  stateMachineArn: Arn.optional(),
  mapRunArn: Arn.optional(),
  statusFilter: z.enum(EXECUTION_STATUSES).optional(),
  maxResults: MaxResults,
  nextToken: NextToken,
});
const StopExecutionSchema = z.object({ executionArn: Arn, error: z.string().max(256).optional(), cause: z.string().max(32_768).optional() });

export const startExecution: Operation = (body, { machines, executions }: ApiContext) => {
  const request = parseRequest('StartExecution', StartExecutionSchema, body);
  const machine = machines.resolve('stateMachineArn', request.stateMachineArn);
  const name = request.name === undefined ? undefined : checkExecutionName(request.name);
  const input = checkInput(request.input ?? '{}');
  const { record } = executions.start({ machine, name, input });
  return { executionArn: record.executionArn, startDate: epochSeconds(record.startDateMs) };
};

export const describeExecution: Operation = (body, { executions }: ApiContext) => {
  const request = parseRequest('DescribeExecution', DescribeExecutionSchema, body);
  const { record } = executions.get(checkExecutionArn('executionArn', request.executionArn));
  const withData = request.includedData !== 'METADATA_ONLY';
  return {
    ...listItem(record),
    ...(withData ? { input: record.input, inputDetails: { included: true } } : {}),
    ...(withData && record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
  };
};

export const listExecutions: Operation = (body, { machines, executions }: ApiContext) => {
  const request = parseRequest('ListExecutions', ListExecutionsSchema, body);
  if (request.mapRunArn !== undefined) {
    throw new ValidationError('ListExecutions with mapRunArn (a Map Run\'s child executions) is not served by the local Step Functions API; use DescribeMapRun for their counts');
  }
  if (request.stateMachineArn === undefined) throw new ValidationError('ListExecutions needs stateMachineArn (missing); pass a state machine ARN from ListStateMachines');
  const machine = machines.resolve('stateMachineArn', request.stateMachineArn);
  const all = executions.list(machine.name, request.statusFilter);
  const query = `ListExecutions ${request.stateMachineArn} ${request.statusFilter ?? ''}`;
  const { page, nextToken } = paginate(all, (execution) => execution.record.seq, request, query);
  return { executions: page.map((execution) => listItem(execution.record)), ...(nextToken ? { nextToken } : {}) };
};

export const stopExecution: Operation = (body, { executions }: ApiContext) => {
  const request = parseRequest('StopExecution', StopExecutionSchema, body);
  const execution = executions.get(checkExecutionArn('executionArn', request.executionArn));
  return { stopDate: epochSeconds(execution.stop(request.error, request.cause)) };
};

/** The members DescribeExecution and ListExecutions' items share. */
function listItem(record: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: record.executionArn,
    stateMachineArn: stateMachineArn(record.stateMachineName),
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDateMs),
    ...(record.stopDateMs !== undefined ? { stopDate: epochSeconds(record.stopDateMs) } : {}),
    redriveCount: record.redriveCount,
    ...(record.redriveDateMs !== undefined ? { redriveDate: epochSeconds(record.redriveDateMs) } : {}),
  };
}

function checkInput(input: string): string {
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes > MAX_INPUT_BYTES) throw new InvalidExecutionInputError(`the input is ${bytes} UTF-8 bytes, over the limit`);
  try {
    JSON.parse(input);
  } catch (error) {
    throw new InvalidExecutionInputError(`the input is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return input;
}
