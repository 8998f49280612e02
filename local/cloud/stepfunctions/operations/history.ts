import { z } from 'zod';
import { checkExecutionArn } from '../model/arns';
import type { StoredHistoryEvent } from '../model/ExecutionRecord';
import type { ApiContext, Operation } from './ApiContext';
import { Arn, MaxResults, NextToken } from './common';
import { paginate } from './paginate';
import { epochSeconds, parseRequest } from './parseRequest';

const GetExecutionHistorySchema = z.object({
  executionArn: Arn,
  maxResults: MaxResults,
  reverseOrder: z.boolean().optional(),
  nextToken: NextToken,
  includeExecutionData: z.boolean().optional(),
});

// What includeExecutionData: false leaves out of every details member.
const EXECUTION_DATA = new Set(['input', 'output', 'inputDetails', 'outputDetails']);

export const getExecutionHistory: Operation = (body, { executions }: ApiContext) => {
  const request = parseRequest('GetExecutionHistory', GetExecutionHistorySchema, body);
  const execution = executions.get(checkExecutionArn('executionArn', request.executionArn));
  const events = request.reverseOrder ? [...execution.history.list()].reverse() : execution.history.list();
  const query = `GetExecutionHistory ${request.executionArn} ${request.reverseOrder === true}`;
  const { page, nextToken } = paginate(events, (event) => event.id, request, query);
  const withData = request.includeExecutionData !== false;
  return { events: page.map((event) => apiEvent(event, withData)), ...(nextToken ? { nextToken } : {}) };
};

function apiEvent(event: StoredHistoryEvent, withData: boolean): Record<string, unknown> {
  const { id, previousEventId, timestampMs, type, ...details } = event;
  const members = withData ? details : Object.fromEntries(Object.entries(details).map(([member, value]) => [member, withoutExecutionData(value)]));
  return { timestamp: epochSeconds(timestampMs), type, id, previousEventId, ...members };
}

function withoutExecutionData(details: unknown): unknown {
  if (details === null || typeof details !== 'object') return details;
  return Object.fromEntries(Object.entries(details).filter(([field]) => !EXECUTION_DATA.has(field)));
}
