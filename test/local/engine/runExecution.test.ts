import { S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig } from '../../../local/aws';
import { MissingTaskHandlerError, runExecution, type AslDefinition } from '../../../local/engine';
import { fn, namedError, processor } from './fixtures';

// These machines have no ItemReader/ResultWriter: S3 is never called (a call would fail fast on port 9).
const s3 = new S3Client(localS3ClientConfig('http://127.0.0.1:9'));
afterAll(() => s3.destroy());

describe('runExecution', () => {
  describe('handlers', () => {
    it('refuses a Task without a handler, at any depth, before running anything', async () => {
      // GIVEN a first Task with a handler, then Tasks without one in an inline Map and in a distributed Map's children
      const calls: unknown[] = [];
      const definition: AslDefinition = {
        StartAt: 'First',
        States: {
          First: { Type: 'Task', Resource: fn('first'), Next: 'Inline' },
          Inline: {
            Type: 'Map',
            ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'InlineTask', States: { InlineTask: { Type: 'Task', Resource: fn('inline'), End: true } } },
            Next: 'Fan',
          },
          Fan: { Type: 'Map', ItemProcessor: processor(fn('child')), End: true },
        },
      };
      // WHEN it is run
      const run = runExecution({ definition, input: [], executionName: 'e1', s3, taskHandlers: { [fn('first')]: async (i) => calls.push(i) } });
      // THEN it is refused, naming each state and resource, and the first handler never ran
      await expect(run).rejects.toBeInstanceOf(MissingTaskHandlerError);
      await expect(run).rejects.toThrow(`state Inline/InlineTask: resource ${fn('inline')}`);
      await expect(run).rejects.toThrow(`state Fan/Work: resource ${fn('child')}`);
      expect(calls).toEqual([]);
    });

    it('gives a handler the resolved Parameters, with $$.Execution.Name and Id', async () => {
      // GIVEN a Task whose Parameters read the input and the context object
      const seen: unknown[] = [];
      const definition: AslDefinition = {
        StartAt: 'Echo',
        States: { Echo: { Type: 'Task', Resource: fn('echo'), Parameters: { 'value.$': '$.value', 'name.$': '$$.Execution.Name', 'id.$': '$$.Execution.Id' }, End: true } },
      };
      // WHEN the execution runs
      const outcome = await runExecution({
        definition,
        input: { value: 42 },
        executionName: 'run-7',
        stateMachineName: 'backfill',
        s3,
        taskHandlers: { [fn('echo')]: async (input) => (seen.push(input), { ok: true }) },
      });
      // THEN the handler saw the resolved values and its result is the output
      expect(seen).toEqual([{ value: 42, name: 'run-7', id: 'arn:aws:states:us-east-1:000000000000:execution:backfill:run-7' }]);
      expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { ok: true } });
    });

    it('surfaces a thrown error by its name, so Retry and Catch on that name match it, with its message as Cause', async () => {
      // GIVEN a Task that retries and then catches BatchLeaseHeldError, and a handler that always throws it
      let attempts = 0;
      const definition: AslDefinition = {
        StartAt: 'Claim',
        States: {
          Claim: {
            Type: 'Task',
            Resource: fn('claim'),
            Retry: [{ ErrorEquals: ['BatchLeaseHeldError'], IntervalSeconds: 5, MaxAttempts: 2 }],
            Catch: [{ ErrorEquals: ['BatchLeaseHeldError'], ResultPath: '$.error', Next: 'Held' }],
            End: true,
          },
          Held: { Type: 'Pass', End: true },
        },
      };
      // WHEN it runs, with retry intervals overridden to 0 ms
      const outcome = await runExecution({
        definition,
        input: { batchId: 'b1' },
        executionName: 'e2',
        s3,
        retryIntervalOverrides: { Claim: 0 },
        taskHandlers: {
          [fn('claim')]: async () => {
            attempts += 1;
            throw namedError('BatchLeaseHeldError', `lease held by attempt ${attempts}`);
          },
        },
      });
      // THEN it was tried 1 + 2 times and then caught with the error's name and message
      expect(attempts).toBe(3);
      expect(outcome.status).toBe('SUCCEEDED');
      expect(outcome.output).toEqual({ batchId: 'b1', error: { Error: 'BatchLeaseHeldError', Cause: 'lease held by attempt 3' } });
    });

    it('ends FAILED with the error name and Cause when nothing catches it, without throwing', async () => {
      // GIVEN a Task whose handler throws a named error and no Catch
      const definition: AslDefinition = { StartAt: 'Write', States: { Write: { Type: 'Task', Resource: fn('write'), End: true } } };
      // WHEN it runs
      const outcome = await runExecution({
        definition,
        input: {},
        executionName: 'e3',
        s3,
        taskHandlers: { [fn('write')]: async () => Promise.reject(namedError('TransientStoreError', 'dynamo throttled')) },
      });
      // THEN the outcome names the error
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'TransientStoreError', cause: 'dynamo throttled' });
      expect(outcome.output).toBeUndefined();
    });
  });

  describe('stats', () => {
    it('counts one transition per state entered and one per retry, and handler invocations by resource', async () => {
      // GIVEN Pass -> Task (fails once, retried) -> Succeed
      let calls = 0;
      const definition: AslDefinition = {
        StartAt: 'Prepare',
        States: {
          Prepare: { Type: 'Pass', Next: 'Work' },
          Work: { Type: 'Task', Resource: fn('work'), Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1 }], Next: 'Done' },
          Done: { Type: 'Succeed' },
        },
      };
      // WHEN it runs
      const outcome = await runExecution({
        definition,
        input: {},
        executionName: 'e4',
        s3,
        retryIntervalOverrides: { Work: 0 },
        taskHandlers: { [fn('work')]: async () => (++calls === 1 ? Promise.reject(new Error('first attempt fails')) : { done: true }) },
      });
      // THEN 3 states entered + 1 retry = 4 transitions, and the handler ran twice
      expect(outcome.status).toBe('SUCCEEDED');
      expect(outcome.stats.stateTransitions).toBe(4);
      expect(outcome.stats.taskInvocations).toEqual({ [fn('work')]: 2 });
      expect(outcome.stats.childExecutions.EXPRESS.started + outcome.stats.childExecutions.STANDARD.started).toBe(0);
    });

    it('reports the exact UTF-8 size of the largest state payload and where it occurred', async () => {
      // GIVEN a Task that adds 5,000 two-byte characters to the state, then a state that drops them
      const blob = 'é'.repeat(5000);
      const definition: AslDefinition = {
        StartAt: 'Big',
        States: {
          Big: { Type: 'Task', Resource: fn('big'), ResultPath: '$.big', Next: 'Small' },
          Small: { Type: 'Pass', OutputPath: '$.id', End: true },
        },
      };
      // WHEN it runs
      const outcome = await runExecution({ definition, input: { id: 'x' }, executionName: 'e5', s3, taskHandlers: { [fn('big')]: async () => ({ blob }) } });
      // THEN the largest payload is Big's output (= Small's input, seen later), measured in bytes, not characters
      const expected = Buffer.byteLength(JSON.stringify({ id: 'x', big: { blob } }), 'utf8');
      expect(expected).toBeGreaterThan(10_000);
      expect(outcome.stats.maxPayloadBytes).toBe(expected);
      expect(outcome.stats.maxPayloadAt).toEqual({ stateName: 'Big', executionName: 'parent', direction: 'output' });
    });
  });

  describe('ending early', () => {
    it('ends ABORTED when the signal fires while a handler runs', async () => {
      // GIVEN a Task whose handler waits until the test releases it
      const controller = new AbortController();
      let release = (): void => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const definition: AslDefinition = { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: fn('slow'), Next: 'After' }, After: { Type: 'Pass', End: true } } };
      let markStarted = (): void => undefined;
      const started = new Promise<void>((resolve) => (markStarted = resolve));
      // WHEN the signal fires once the handler has started
      const run = runExecution({
        definition,
        input: {},
        executionName: 'e6',
        s3,
        signal: controller.signal,
        taskHandlers: { [fn('slow')]: async () => (markStarted(), released) },
      });
      await started;
      controller.abort();
      // THEN the outcome is ABORTED, without output
      const outcome = await run;
      expect(outcome.status).toBe('ABORTED');
      expect(outcome.output).toBeUndefined();
      release();
    });

    it('ends TIMED_OUT with States.Timeout when the definition TimeoutSeconds elapses', async () => {
      // GIVEN a 1-second execution timeout and a handler that waits until the test releases it
      let release = (): void => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const definition: AslDefinition = { TimeoutSeconds: 1, StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: fn('slow'), End: true } } };
      // WHEN it runs
      const outcome = await runExecution({ definition, input: {}, executionName: 'e7', s3, taskHandlers: { [fn('slow')]: () => released } });
      // THEN it timed out
      expect(outcome).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      release();
    });
  });
});
