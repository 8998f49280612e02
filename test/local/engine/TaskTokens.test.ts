import { TaskTokens } from '../../../local/engine';
import { ManualTimers } from './taskTokenFixtures';

function issued(options: { timeoutSeconds?: number; heartbeatSeconds?: number } = {}) {
  const timers = new ManualTimers();
  const tokens = new TaskTokens({ timers });
  const execution = tokens.openExecution();
  const pending = execution.issue({ stateName: 'Approve', ...options });
  return { timers, tokens, execution, pending };
}

const errorNamed = (name: string) => expect.objectContaining({ name });

describe('TaskTokens', () => {
  describe('sendTaskSuccess', () => {
    it('ends the wait with the parsed output and returns {} like the API', async () => {
      const { tokens, pending } = issued();
      expect(tokens.sendTaskSuccess({ taskToken: pending.token, output: '{"approved":true}' })).toEqual({});
      await expect(pending.outcome).resolves.toEqual({ kind: 'succeeded', output: { approved: true } });
    });

    it('answers TaskTimedOut for a token already used (success or failure)', () => {
      const { tokens, pending } = issued();
      tokens.sendTaskSuccess({ taskToken: pending.token, output: '{}' });
      expect(() => tokens.sendTaskSuccess({ taskToken: pending.token, output: '{}' })).toThrow(errorNamed('TaskTimedOut'));
      expect(() => tokens.sendTaskFailure({ taskToken: pending.token, error: 'Late' })).toThrow(errorNamed('TaskTimedOut'));
      expect(() => tokens.sendTaskHeartbeat({ taskToken: pending.token })).toThrow(errorNamed('TaskTimedOut'));
    });

    it('answers TaskTimedOut for a token whose task timed out', () => {
      const { tokens, pending, timers } = issued({ timeoutSeconds: 5 });
      timers.advance(5_000);
      expect(() => tokens.sendTaskSuccess({ taskToken: pending.token, output: '{}' })).toThrow(errorNamed('TaskTimedOut'));
    });

    it('answers TaskTimedOut for the tokens of a closed execution', async () => {
      const { tokens, pending, execution } = issued();
      execution.closeAll('its execution was stopped');
      expect(() => tokens.sendTaskSuccess({ taskToken: pending.token, output: '{}' })).toThrow(/its execution was stopped/);
      await expect(pending.outcome).resolves.toEqual({ kind: 'closed', reason: 'its execution was stopped' });
      // A task that starts after the stop gets a token that is closed already
      const late = execution.issue({ stateName: 'Later' });
      expect(() => tokens.sendTaskHeartbeat({ taskToken: late.token })).toThrow(errorNamed('TaskTimedOut'));
    });

    it('answers TaskDoesNotExist for a well-formed token it never issued', () => {
      const { pending } = issued();
      const otherCloud = new TaskTokens({ timers: new ManualTimers() });
      expect(() => otherCloud.sendTaskSuccess({ taskToken: pending.token, output: '{}' })).toThrow(errorNamed('TaskDoesNotExist'));
      expect(() => otherCloud.sendTaskHeartbeat({ taskToken: pending.token })).toThrow(errorNamed('TaskDoesNotExist'));
    });

    it('answers InvalidToken for a malformed token', () => {
      const { tokens, pending } = issued();
      for (const taskToken of ['not-a-token', pending.token.slice(0, -1), `${pending.token}x`, pending.token.replace(/^LT1/, 'XX1')]) {
        expect(() => tokens.sendTaskSuccess({ taskToken, output: '{}' })).toThrow(errorNamed('InvalidToken'));
        expect(() => tokens.sendTaskFailure({ taskToken })).toThrow(errorNamed('InvalidToken'));
      }
    });

    it('answers InvalidOutput for output that is not JSON, and leaves the task waiting', async () => {
      const { tokens, pending } = issued();
      expect(() => tokens.sendTaskSuccess({ taskToken: pending.token, output: '{approved: true}' })).toThrow(errorNamed('InvalidOutput'));
      tokens.sendTaskSuccess({ taskToken: pending.token, output: 'true' });
      await expect(pending.outcome).resolves.toEqual({ kind: 'succeeded', output: true });
    });

    it('answers InvalidOutput for output over 262,144 UTF-8 bytes, and accepts exactly that many', () => {
      const { tokens, pending } = issued();
      // 'é' is 2 UTF-8 bytes: 131,071 of them plus quotes = 262,144 bytes; one more is over
      const atLimit = JSON.stringify('é'.repeat(131_071));
      expect(() => tokens.sendTaskSuccess({ taskToken: pending.token, output: JSON.stringify('é'.repeat(131_072)) })).toThrow(errorNamed('InvalidOutput'));
      expect(tokens.sendTaskSuccess({ taskToken: pending.token, output: atLimit })).toEqual({});
    });

    it('answers ValidationException for what the API shapes refuse (token over 2,048 characters, missing output)', () => {
      const { tokens, pending } = issued();
      expect(() => tokens.sendTaskSuccess({ taskToken: 'a'.repeat(2049), output: '{}' })).toThrow(errorNamed('ValidationException'));
      expect(() => tokens.sendTaskSuccess({ taskToken: pending.token, output: undefined })).toThrow(errorNamed('ValidationException'));
      expect(() => tokens.sendTaskFailure({ taskToken: pending.token, error: 'E'.repeat(257) })).toThrow(errorNamed('ValidationException'));
    });
  });

  describe('sendTaskFailure', () => {
    it('ends the wait with the error and cause, empty when not sent', async () => {
      const { tokens, pending } = issued();
      expect(tokens.sendTaskFailure({ taskToken: pending.token })).toEqual({});
      await expect(pending.outcome).resolves.toEqual({ kind: 'failed', error: '', cause: '' });
    });
  });

  describe('sendTaskHeartbeat', () => {
    it('restarts HeartbeatSeconds but not TimeoutSeconds', async () => {
      // GIVEN a task with a 10 s heartbeat and a 25 s timeout
      const { tokens, pending, timers } = issued({ heartbeatSeconds: 10, timeoutSeconds: 25 });
      // WHEN heartbeats come at 9 s and 18 s
      timers.advance(9_000);
      tokens.sendTaskHeartbeat({ taskToken: pending.token });
      timers.advance(9_000);
      tokens.sendTaskHeartbeat({ taskToken: pending.token });
      // THEN at 25 s the whole wait times out, heartbeats or not
      timers.advance(7_000);
      await expect(pending.outcome).resolves.toEqual({ kind: 'timed-out', limit: 'TimeoutSeconds', seconds: 25 });
    });

    it('times the task out once HeartbeatSeconds pass without one', async () => {
      const { pending, timers } = issued({ heartbeatSeconds: 10 });
      timers.advance(9_999);
      timers.advance(1);
      await expect(pending.outcome).resolves.toEqual({ kind: 'timed-out', limit: 'HeartbeatSeconds', seconds: 10 });
      expect(timers.pending).toBe(0);
    });

    it('is accepted for a task without HeartbeatSeconds', () => {
      const { tokens, pending } = issued();
      expect(tokens.sendTaskHeartbeat({ taskToken: pending.token })).toEqual({});
    });
  });

  describe('memory', () => {
    it('keeps at most closedTokensKept closed tokens, however many tasks a long-lived process runs, and answers alike', async () => {
      // GIVEN a service keeping 100 closed tokens, clock at 2026-12-01T10:00:00Z
      const tokens = new TaskTokens({ timers: new ManualTimers(), now: () => Date.parse('2026-12-01T10:00:00Z'), closedTokensKept: 100 });
      const execution = tokens.openExecution();
      // WHEN 5,000 tasks are issued and answered, one still waiting
      const answered: string[] = [];
      for (let i = 0; i < 5_000; i++) {
        const pending = execution.issue({ stateName: `Approve${i}` });
        tokens.sendTaskSuccess({ taskToken: pending.token, output: '{}' });
        answered.push(pending.token);
      }
      const waiting = execution.issue({ stateName: 'Waiting' });
      // THEN memory holds the waiting task and the 100 latest closed tokens only
      expect(tokens.remembered).toEqual({ open: 1, closed: 100 });
      // a recent closed token is answered with its state and reason, a forgotten one still with TaskTimedOut
      expect(() => tokens.sendTaskSuccess({ taskToken: answered[4_999], output: '{}' })).toThrow(/state Approve4999 .*SendTaskSuccess was already received/);
      expect(() => tokens.sendTaskSuccess({ taskToken: answered[0], output: '{}' })).toThrow(errorNamed('TaskTimedOut'));
      expect(() => tokens.sendTaskHeartbeat({ taskToken: answered[0] })).toThrow(/closed; issued 2026-12-01T10:00:00.000Z, its details are no longer kept/);
      expect(tokens.remembered).toEqual({ open: 1, closed: 100 });
      // the waiting task still works
      tokens.sendTaskSuccess({ taskToken: waiting.token, output: '{"ok":1}' });
      await expect(waiting.outcome).resolves.toEqual({ kind: 'succeeded', output: { ok: 1 } });
    });

    it('answers TaskDoesNotExist for a well-formed token whose signature or issue time was altered', () => {
      // GIVEN a token issued and answered, with nothing kept about closed tokens
      const tokens = new TaskTokens({ timers: new ManualTimers(), closedTokensKept: 0 });
      const pending = tokens.openExecution().issue({ stateName: 'Approve' });
      tokens.sendTaskSuccess({ taskToken: pending.token, output: '{}' });
      expect(tokens.remembered).toEqual({ open: 0, closed: 0 });
      // WHEN one character of its random part, issue time or signature changes
      const altered = (position: number) => {
        const chars = [...pending.token];
        chars[position] = chars[position] === 'A' ? 'B' : 'A';
        return chars.join('');
      };
      // THEN only the token as issued is recognised as closed
      expect(() => tokens.sendTaskSuccess({ taskToken: pending.token, output: '{}' })).toThrow(errorNamed('TaskTimedOut'));
      for (const position of [3, 26, 40, 66]) {
        expect(() => tokens.sendTaskSuccess({ taskToken: altered(position), output: '{}' })).toThrow(errorNamed('TaskDoesNotExist'));
      }
    });
  });
});
