import { SFNClient } from '@aws-sdk/client-sfn';
import { createHandler as createOperatorControl } from '../../../lambdas/operator-control/handler';
import { openBreaker, readBreaker } from '../../../lambdas/lib/breaker';
import type { ControlEvent } from '../../../lambdas/lib/control';
import { getRun, listAudit, markRunPaused, requestPause, startOrResumeRun } from '../../../lambdas/lib/ledger';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import { specHash } from '../../../lambdas/lib/spec';
import { createTestStore, useEmulators } from '../../support';
import { specFor } from '../fixtures/specs';

const OPS = 'arn:aws:sts::123456789012:assumed-role/BackfillOperator/olga@example.com';
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAT-task-token-of-WaitForOperator';
const context = { awsRequestId: 'control-1' };

/** A Function URL event as AWS delivers it after verifying the caller's SigV4 signature (AuthType AWS_IAM). */
function iamEvent(caller: string | undefined, body: unknown, overrides: { method?: string; path?: string } = {}): ControlEvent {
  return {
    rawPath: overrides.path ?? '/controls',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      http: { method: overrides.method ?? 'POST', sourceIp: '198.51.100.9', userAgent: 'backfill-cli/test' },
      ...(caller === undefined ? {} : { authorizer: { iam: { userArn: caller } } }),
    },
  };
}

/**
 * A recording Step Functions double (task-token calls have no emulator here): every command's name
 * and exact input, answered without a network call; `taskGone` makes the heartbeat answer as AWS
 * does for a task that no longer waits.
 */
function recordingSfn(options: { taskGone?: boolean; failSendsOnce?: boolean } = {}): { sfn: SFNClient; calls: Array<{ command: string; input: unknown }> } {
  const calls: Array<{ command: string; input: unknown }> = [];
  let sendsToFail = options.failSendsOnce ? 1 : 0;
  const sfn = new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  sfn.middlewareStack.add(
    (_next, ctx) => async (args) => {
      calls.push({ command: ctx.commandName!, input: args.input });
      if (options.taskGone && ctx.commandName === 'SendTaskHeartbeatCommand') throw Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' });
      if (ctx.commandName === 'SendTaskSuccessCommand' && sendsToFail-- > 0) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' });
      return { output: { $metadata: {} }, response: {} } as never;
    },
    { step: 'initialize', name: 'recordingSfn' },
  );
  return { sfn, calls };
}

describe('the operator control endpoint (POST /controls: backfill pause|resume|abort|breaker)', () => {
  const env = useEmulators('dynalite');
  let deps: Deps;
  let runs = 0;
  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    deps = (await createTestStore(env())).deps;
  });

  const control = (sfn: SFNClient, event: ControlEvent) => createOperatorControl({ ...deps, approvals: { sfn } as NonNullable<Deps['approvals']> })(event, context);
  const answerOf = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;
  async function runningRun(): Promise<string> {
    const runId = `control-run-${++runs}`;
    const spec = specFor('source-bucket', 'orders/');
    await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec), startedBy: 'local:starter' });
    return runId;
  }
  async function pausedRun(): Promise<string> {
    const runId = await runningRun();
    await requestPause(deps, runId, { by: 'alarm:Backfill-Breaker', reason: 'the breaker opened', trigger: 'breaker' });
    await markRunPaused(deps, runId, { taskToken: TOKEN });
    return runId;
  }
  /** Everything a refused request must leave as it was. */
  const ledgerState = async (runId: string) => ({ run: await getRun(deps, runId), audit: await listAudit(deps, runId), breaker: await readBreaker(deps) });

  it('pause of a RUNNING run moves it to PAUSING with who and why, audited, and calls no Step Functions API', async () => {
    const { sfn, calls } = recordingSfn();
    const runId = await runningRun();
    const response = await control(sfn, iamEvent(OPS, { action: 'pause', runId, reason: 'checkout latency alarm' }));
    expect(response.statusCode).toBe(200);
    expect(answerOf(response)).toEqual({ action: 'pause', runId, by: OPS, changed: true, from: 'RUNNING', status: 'PAUSING', released: false });
    expect(await getRun(deps, runId)).toMatchObject({ status: 'PAUSING', control: { action: 'pause', trigger: 'operator', by: OPS, reason: 'checkout latency alarm' } });
    expect((await listAudit(deps, runId)).at(-1)).toMatchObject({ type: 'RunPauseRequested', actor: OPS, detail: { reason: 'checkout latency alarm', trigger: 'operator' } });
    expect(calls).toEqual([]);
  });

  it('resume of a PAUSED run moves it to RUNNING and releases the waiting task: a heartbeat, then SendTaskSuccess { decision: "resume", by, reason }', async () => {
    const { sfn, calls } = recordingSfn();
    const runId = await pausedRun();
    const response = await control(sfn, iamEvent(OPS, { action: 'resume', runId, reason: 'latency is back to normal' }));
    expect(answerOf(response)).toEqual({ action: 'resume', runId, by: OPS, changed: true, from: 'PAUSED', status: 'RUNNING', released: true });
    expect(calls).toEqual([
      { command: 'SendTaskHeartbeatCommand', input: { taskToken: TOKEN } },
      { command: 'SendTaskSuccessCommand', input: { taskToken: TOKEN, output: JSON.stringify({ decision: 'resume', by: OPS, reason: 'latency is back to normal' }) } },
    ]);
    const run = await getRun(deps, runId);
    expect(run?.status).toBe('RUNNING');
    expect(run).not.toHaveProperty('control');
    expect((await listAudit(deps, runId)).at(-1)).toMatchObject({ type: 'RunResumed', actor: OPS });
    // The task token is never part of an answer.
    expect(response.body).not.toContain(TOKEN);
  });

  it.each([
    [false, 'abort'],
    [true, 'rollback'],
  ])('abort (rollback %s) of a PAUSED run moves it to ABORTING and sends SendTaskSuccess { decision: "%s" }', async (rollback, decision) => {
    const { sfn, calls } = recordingSfn();
    const runId = await pausedRun();
    const response = await control(sfn, iamEvent(OPS, { action: 'abort', runId, reason: 'bad transform version', rollback }));
    expect(answerOf(response)).toEqual({ action: 'abort', runId, by: OPS, changed: true, from: 'PAUSED', status: 'ABORTING', released: true });
    expect(calls.at(-1)).toEqual({ command: 'SendTaskSuccessCommand', input: { taskToken: TOKEN, output: JSON.stringify({ decision, by: OPS, reason: 'bad transform version' }) } });
    expect(await getRun(deps, runId)).toMatchObject({ status: 'ABORTING', control: { action: 'abort', by: OPS, reason: 'bad transform version', rollback } });
    expect((await listAudit(deps, runId)).at(-1)).toMatchObject({ type: 'RunAbortRequested', actor: OPS, detail: { reason: 'bad transform version', rollback } });
  });

  it.each([
    { action: 'resume', decision: 'resume', status: 'RUNNING' },
    { action: 'abort', decision: 'abort', status: 'ABORTING' },
  ] as const)('$action whose SendTaskSuccess fails keeps the token: the retried $action sends the decision again, then the token goes', async ({ action, decision, status }) => {
    const { sfn, calls } = recordingSfn({ failSendsOnce: true });
    const runId = await pausedRun();
    const body = { action, runId, reason: 'all clear', ...(action === 'abort' ? { rollback: false } : {}) };
    // The function fails (the Function URL answers 502): the ledger moved, the workflow still waits.
    await expect(control(sfn, iamEvent(OPS, body))).rejects.toThrow('Rate exceeded');
    expect(await getRun(deps, runId)).toMatchObject({ status, control: { taskToken: TOKEN } });

    const retried = await control(sfn, iamEvent(OPS, body));
    expect(answerOf(retried)).toEqual({ action, runId, by: OPS, changed: false, from: status, status, released: true });
    const sends = calls.filter((c) => c.command === 'SendTaskSuccessCommand');
    const sent = { command: 'SendTaskSuccessCommand', input: { taskToken: TOKEN, output: JSON.stringify({ decision, by: OPS, reason: 'all clear' }) } };
    expect(sends).toEqual([sent, sent]);
    const run = await getRun(deps, runId);
    expect(run?.status).toBe(status);
    expect(run?.control?.taskToken).toBeUndefined();
    expect(retried.body).not.toContain(TOKEN);
  });

  it('abort of a RUNNING run moves only the ledger (the gate does the rest)', async () => {
    const { sfn, calls } = recordingSfn();
    const runId = await runningRun();
    const response = await control(sfn, iamEvent(OPS, { action: 'abort', runId, reason: 'wrong target' }));
    expect(answerOf(response)).toMatchObject({ status: 'ABORTING', released: false });
    expect(calls).toEqual([]);
  });

  it('breaker-open and breaker-close move the breaker as the caller, audited under the breaker; again: changed false', async () => {
    const { sfn } = recordingSfn();
    const opened = await control(sfn, iamEvent(OPS, { action: 'breaker-open', reason: 'incident 4711' }));
    expect(answerOf(opened)).toMatchObject({ action: 'breaker-open', by: OPS, changed: true, breaker: { state: 'OPEN', openedBy: OPS, reason: 'incident 4711' } });
    expect(answerOf(await control(sfn, iamEvent(OPS, { action: 'breaker-open', reason: 'again' })))).toMatchObject({ changed: false, breaker: { reason: 'incident 4711' } });
    const closed = await control(sfn, iamEvent(OPS, { action: 'breaker-close', reason: 'incident resolved' }));
    expect(answerOf(closed)).toMatchObject({ action: 'breaker-close', changed: true, breaker: { state: 'CLOSED', closedBy: OPS, closeReason: 'incident resolved' } });
  });

  describe('refusals: a JSON answer with its status code, nothing changed', () => {
    it('an unknown run: 404 RunNotFoundError', async () => {
      const { sfn, calls } = recordingSfn();
      const response = await control(sfn, iamEvent(OPS, { action: 'pause', runId: 'no-such-run', reason: 'x' }));
      expect(response.statusCode).toBe(404);
      expect(answerOf(response)).toMatchObject({ refused: 'RunNotFoundError', message: expect.stringContaining('no-such-run') });
      expect(calls).toEqual([]);
    });

    it('resume of a RUNNING run (not paused): 409, naming the status', async () => {
      const { sfn, calls } = recordingSfn();
      const runId = await runningRun();
      const before = await ledgerState(runId);
      const response = await control(sfn, iamEvent(OPS, { action: 'resume', runId }));
      expect(response.statusCode).toBe(409);
      expect(answerOf(response)).toMatchObject({ message: expect.stringContaining(`Run ${runId} is RUNNING`) });
      expect(await ledgerState(runId)).toEqual(before);
      expect(calls).toEqual([]);
    });

    it('resume while the breaker is OPEN: 409 BreakerOpenError telling to close it first; the task still waits', async () => {
      const { sfn, calls } = recordingSfn();
      const runId = await pausedRun();
      await openBreaker(deps, { by: 'alarm:Backfill-Breaker', reason: 'WriteThrottles in ALARM' });
      try {
        const before = await ledgerState(runId);
        const response = await control(sfn, iamEvent(OPS, { action: 'resume', runId, reason: 'go' }));
        expect(response.statusCode).toBe(409);
        expect(answerOf(response)).toMatchObject({ refused: 'BreakerOpenError', message: expect.stringContaining('backfill breaker close --reason') });
        expect(await ledgerState(runId)).toEqual(before);
        expect(calls.filter((c) => c.command === 'SendTaskSuccessCommand')).toEqual([]);
      } finally {
        await control(sfn, iamEvent(OPS, { action: 'breaker-close', reason: 'test done' }));
      }
    });

    it('a PAUSED run whose workflow no longer waits: 409 RunNoLongerWaitsError, the ledger unchanged', async () => {
      const { sfn, calls } = recordingSfn({ taskGone: true });
      const runId = await pausedRun();
      const before = await ledgerState(runId);
      const response = await control(sfn, iamEvent(OPS, { action: 'resume', runId }));
      expect(response.statusCode).toBe(409);
      expect(answerOf(response)).toMatchObject({ refused: 'RunNoLongerWaitsError' });
      expect(await ledgerState(runId)).toEqual(before);
      expect(calls.map((c) => c.command)).toEqual(['SendTaskHeartbeatCommand']);
    });

    it.each<[string, (runId: string) => ControlEvent, number, string]>([
      ['a missing reason', (runId) => iamEvent(OPS, { action: 'pause', runId }), 400, 'reason'],
      ['a blank reason', (runId) => iamEvent(OPS, { action: 'abort', runId, reason: '   ' }), 400, 'reason must say why'],
      ['an unknown action', (runId) => iamEvent(OPS, { action: 'explode', runId, reason: 'x' }), 400, 'action must be'],
      ['a body that is not JSON', () => iamEvent(OPS, 'pause it'), 400, 'the body is not JSON'],
      ['a request without an IAM caller', (runId) => iamEvent(undefined, { action: 'pause', runId, reason: 'x' }), 403, 'names no caller'],
      ['GET', (runId) => iamEvent(OPS, { action: 'pause', runId, reason: 'x' }, { method: 'GET' }), 405, 'is not POST'],
      ['another path', (runId) => iamEvent(OPS, { action: 'pause', runId, reason: 'x' }, { path: '/decisions' }), 404, 'nothing at'],
    ])('%s', async (_name, eventFor, status, problem) => {
      const { sfn, calls } = recordingSfn();
      const runId = await runningRun();
      const before = await ledgerState(runId);
      const response = await control(sfn, eventFor(runId));
      expect(response.statusCode).toBe(status);
      expect(answerOf(response).message).toContain(problem);
      expect(await ledgerState(runId)).toEqual(before);
      expect(calls).toEqual([]);
    });
  });
});
