import { EXIT } from '../../cli/errors';
import { runOutcome } from '../../cli/runs/runOutcome';
import { defaultExecutionName, derivedExecutionName } from '../../cli/runs/executionNames';
import { executionArnOf } from '../../cli/runs/executionOfRun';

describe('runOutcome: when watch stops and with which exit code', () => {
  it.each([
    ['SUCCEEDED', EXIT.ok],
    ['ROLLED_BACK', EXIT.ok],
    ['SUCCEEDED_WITH_FAILURES', EXIT.partial],
    ['ROLLED_BACK_WITH_CONFLICTS', EXIT.partial],
    ['FAILED', EXIT.failed],
    ['TIMED_OUT', EXIT.failed],
    ['REJECTED', EXIT.failed],
    ['REJECTED_ROLLED_BACK', EXIT.failed],
    ['STOPPED', EXIT.stopped],
    ['ABORTED', EXIT.stopped],
  ])('a run that ended %s exits %i', (status, exitCode) => {
    expect(runOutcome({ status, execution: { executionArn: 'a', status: 'SUCCEEDED' } })).toEqual({ ended: true, exitCode, status });
  });

  it.each(['RUNNING', 'ROLLING_BACK', 'PAUSING', 'PAUSED', 'ABORTING'])('a %s run with a running execution goes on', (status) => {
    expect(runOutcome({ status, execution: { executionArn: 'a', status: 'RUNNING' } }).ended).toBe(false);
  });

  it.each([
    ['ABORTED', EXIT.stopped],
    ['FAILED', EXIT.failed],
    ['TIMED_OUT', EXIT.failed],
  ])('a RUNNING run whose execution closed %s has ended (nothing marked it yet)', (execution, exitCode) => {
    expect(runOutcome({ status: 'RUNNING', execution: { executionArn: 'a', status: execution } })).toEqual({ ended: true, exitCode, status: `RUNNING (execution ${execution})` });
  });

  it('a PAUSED run whose execution closed (nothing marked it yet) has ended with the execution\'s outcome', () => {
    expect(runOutcome({ status: 'PAUSED', execution: { executionArn: 'a', status: 'ABORTED' } })).toEqual({ ended: true, exitCode: EXIT.stopped, status: 'PAUSED (execution ABORTED)' });
  });
});

describe('execution names', () => {
  it('names a spec by its job name and the first 12 hex of its hash, as npm start does', () => {
    expect(defaultExecutionName('orders-fix-rounding', 'edc284f25c1d9a0b')).toBe('orders-fix-rounding-edc284f25c1d');
  });

  it('keeps derived names within the 80 characters Step Functions allows', () => {
    const runId = 'r'.repeat(80);
    expect(derivedExecutionName(runId, 'rollback-12')).toHaveLength(80);
    expect(derivedExecutionName(runId, 'rollback-12').endsWith('-rollback-12')).toBe(true);
  });

  it('builds the ARN of a state machine\'s execution', () => {
    expect(executionArnOf('arn:aws:states:eu-west-1:123456789012:stateMachine:Backfill', 'r1')).toBe('arn:aws:states:eu-west-1:123456789012:execution:Backfill:r1');
  });
});
