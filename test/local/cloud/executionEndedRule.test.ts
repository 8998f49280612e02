import { executionEndedRule } from '../../../local/cloud/executionEndedRule';
import type { ExecutionStatusChangeEvent } from '../../../local/cloud/stepfunctions';
import { stateMachineArn } from '../../../local/engine/arns';

const BACKFILL = stateMachineArn('Backfill');
const ROLLBACK = stateMachineArn('Rollback');

function statusChange(status: ExecutionStatusChangeEvent['detail']['status'], machineArn = BACKFILL): ExecutionStatusChangeEvent {
  return {
    version: '0',
    id: 'e-1',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '000000000000',
    time: '2026-12-01T06:00:00Z',
    region: 'us-east-1',
    resources: [`${machineArn.replace(':stateMachine:', ':execution:')}:run-1`],
    detail: {
      executionArn: `${machineArn.replace(':stateMachine:', ':execution:')}:run-1`,
      stateMachineArn: machineArn,
      name: 'run-1',
      status,
      startDate: 1,
      stopDate: status === 'RUNNING' ? null : 2,
      input: '{}',
      output: null,
      error: null,
      cause: null,
    },
  };
}

describe('executionEndedRule', () => {
  const delivered: ExecutionStatusChangeEvent[] = [];
  const rule = executionEndedRule([BACKFILL, ROLLBACK], async (event) => void delivered.push(event));
  beforeEach(() => delivered.splice(0));

  it.each(['ABORTED', 'TIMED_OUT', 'FAILED'] as const)('delivers a %s execution of a rule state machine, unchanged', async (status) => {
    // GIVEN an execution of Backfill that ended without succeeding
    const event = statusChange(status);
    // WHEN the server reports it
    await rule(event);
    // THEN the target gets the very event
    expect(delivered).toEqual([event]);
  });

  it.each(['RUNNING', 'SUCCEEDED'] as const)('drops a %s execution, as the stack rule does', async (status) => {
    await rule(statusChange(status));
    expect(delivered).toEqual([]);
  });

  it('delivers an ended Rollback execution too (the rule covers both state machines)', async () => {
    await rule(statusChange('ABORTED', ROLLBACK));
    expect(delivered.map((e) => e.detail.stateMachineArn)).toEqual([ROLLBACK]);
  });

  it('drops an execution of a state machine the rule does not name', async () => {
    await rule(statusChange('FAILED', stateMachineArn('Other')));
    expect(delivered).toEqual([]);
  });
});
