import { z } from 'zod';
import { stateMachineArn } from '../../../engine/arns';
import type { LocalStateMachine } from '../types';
import type { ApiContext, Operation } from './ApiContext';
import { Arn, MaxResults, NextToken } from './common';
import { paginate } from './paginate';
import { epochSeconds, parseRequest } from './parseRequest';

const ListStateMachinesSchema = z.object({ maxResults: MaxResults, nextToken: NextToken });
const DescribeStateMachineSchema = z.object({ stateMachineArn: Arn, includedData: z.enum(['ALL_DATA', 'METADATA_ONLY']).optional() });

export const listStateMachines: Operation = (body, { machines }: ApiContext) => {
  const request = parseRequest('ListStateMachines', ListStateMachinesSchema, body);
  const all = machines.list();
  const { page, nextToken } = paginate(all, (machine) => all.indexOf(machine), request, 'ListStateMachines');
  return {
    stateMachines: page.map((machine) => ({ stateMachineArn: stateMachineArn(machine.name), name: machine.name, type: 'STANDARD', creationDate: epochSeconds(machines.creationDateMs) })),
    ...(nextToken ? { nextToken } : {}),
  };
};

export const describeStateMachine: Operation = (body, { machines }: ApiContext) => {
  const request = parseRequest('DescribeStateMachine', DescribeStateMachineSchema, body);
  const machine: LocalStateMachine = machines.resolve('stateMachineArn', request.stateMachineArn);
  return {
    stateMachineArn: stateMachineArn(machine.name),
    name: machine.name,
    status: 'ACTIVE',
    definition: machine.definitionText,
    roleArn: machine.roleArn,
    type: 'STANDARD',
    creationDate: epochSeconds(machines.creationDateMs),
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
};
