import { z } from 'zod';
import type { LiveMapRun, MapRunDescription } from '../../../engine';
import { ResourceNotFoundError, ValidationError } from '../errors';
import { checkExecutionArn, checkMapRunArn, childStateMachineArnOf } from '../model/arns';
import type { ApiContext, Operation } from './ApiContext';
import { Arn, MaxResults, NextToken } from './common';
import { paginate } from './paginate';
import { epochSeconds, parseRequest } from './parseRequest';

const ListMapRunsSchema = z.object({ executionArn: Arn, maxResults: MaxResults, nextToken: NextToken });
const DescribeMapRunSchema = z.object({ mapRunArn: Arn });
const UpdateMapRunSchema = z.object({
  mapRunArn: Arn,
  maxConcurrency: z.number().int().min(0).optional(),
  toleratedFailurePercentage: z.number().min(0).max(100).optional(),
  toleratedFailureCount: z.number().int().min(0).optional(),
});

export const listMapRuns: Operation = (body, { executions, mapRuns }: ApiContext) => {
  const request = parseRequest('ListMapRuns', ListMapRunsSchema, body);
  const execution = executions.get(checkExecutionArn('executionArn', request.executionArn));
  const all = mapRuns.ofExecution(execution.record.executionArn);
  const { page, nextToken } = paginate(all, (mapRun) => all.indexOf(mapRun), request, `ListMapRuns ${request.executionArn}`);
  return { mapRuns: page.map(listItem), ...(nextToken ? { nextToken } : {}) };
};

export const describeMapRun: Operation = (body, { mapRuns }: ApiContext) => {
  const request = parseRequest('DescribeMapRun', DescribeMapRunSchema, body);
  const description = find(mapRuns.get(checkMapRunArn('mapRunArn', request.mapRunArn)), request.mapRunArn).describe();
  return {
    ...description,
    startDate: epochSeconds(description.startDate.getTime()),
    ...(description.stopDate ? { stopDate: epochSeconds(description.stopDate.getTime()) } : {}),
  };
};

export const updateMapRun: Operation = (body, { mapRuns }: ApiContext) => {
  const { mapRunArn, ...changes } = parseRequest('UpdateMapRun', UpdateMapRunSchema, body);
  const mapRun = find(mapRuns.get(checkMapRunArn('mapRunArn', mapRunArn)), mapRunArn);
  if (Object.keys(changes).length === 0) throw new ValidationError('UpdateMapRun changes nothing: pass maxConcurrency, toleratedFailurePercentage or toleratedFailureCount');
  try {
    mapRun.update(changes);
  } catch (error) {
    if (error instanceof Error && error.name === 'ValidationException') throw new ValidationError(error.message);
    throw error;
  }
  return {};
};

function find(mapRun: LiveMapRun | undefined, mapRunArn: string): LiveMapRun {
  if (!mapRun) throw new ResourceNotFoundError(mapRunArn);
  return mapRun;
}

function listItem(mapRun: LiveMapRun): Record<string, unknown> {
  const description: MapRunDescription = mapRun.describe();
  return {
    executionArn: mapRun.executionArn,
    mapRunArn: mapRun.mapRunArn,
    stateMachineArn: childStateMachineArnOf(mapRun.mapRunArn),
    startDate: epochSeconds(description.startDate.getTime()),
    ...(description.stopDate ? { stopDate: epochSeconds(description.stopDate.getTime()) } : {}),
  };
}
