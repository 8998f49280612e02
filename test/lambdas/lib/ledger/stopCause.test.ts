import { parseStopCause, stopCause, STOP_ERROR, UNKNOWN_STOPPER } from '../../../../lambdas/lib/ledger';

describe('the StopExecution cause that says who stopped an execution and why', () => {
  it('round-trips the actor and reason the backfill CLI puts in it', () => {
    const cause = stopCause({ actor: 'arn:aws:iam::123456789012:user/ana', reason: 'wrong "spec", sorry' });
    expect(parseStopCause(STOP_ERROR, cause)).toEqual({ actor: 'arn:aws:iam::123456789012:user/ana', reason: 'wrong "spec", sorry' });
  });

  it.each([
    ['a stop from the console (no error, no cause)', null, null, ''],
    ['another tool\'s cause', 'Manual', 'maintenance window', 'maintenance window'],
    ['our error with a cause that is not our JSON', STOP_ERROR, 'not json', 'not json'],
    ['our error with JSON missing the actor', STOP_ERROR, '{"reason":"x"}', '{"reason":"x"}'],
    ['our JSON under another error', 'Manual', stopCause({ actor: 'local:ana', reason: 'x' }), stopCause({ actor: 'local:ana', reason: 'x' })],
  ])('reads %s as an unknown actor, the cause being the reason', (_case, error, cause, reason) => {
    expect(parseStopCause(error, cause)).toEqual({ actor: UNKNOWN_STOPPER, reason });
  });
});
