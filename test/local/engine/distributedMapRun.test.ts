import { runExecution, type AslDefinition, type EngineEvent, type TaskHandler } from '../../../local/engine';
import { deferred, latch } from '../../support';
import { fn, mapMachine, namedError, overlappingChildren, processor, sleep, startS3Fixture, type S3Fixture } from './fixtures';

/** Distributed Map: how children run, fail, retry, and how results are exported. */
describe('distributed Map run', () => {
  let fixture: S3Fixture;
  beforeAll(async () => {
    fixture = await startS3Fixture();
  });
  afterAll(() => fixture.close());

  const run = (definition: AslDefinition, input: unknown, handler: TaskHandler, extra: { onEvent?: (e: EngineEvent) => void; signal?: AbortSignal } = {}) =>
    runExecution({ definition, input, executionName: 'map-run', s3: fixture.s3, retryIntervalOverrides: { Work: 0 }, taskHandlers: { [fn('work')]: handler }, ...extra });

  /** Fails the children whose (first) item is in `failing`, echoes the others. */
  const failFor = (failing: readonly number[]): TaskHandler => async (input) => {
    const first = (input as { Items?: number[] }).Items?.[0] ?? (input as number);
    if (failing.includes(first)) throw namedError('BatchFailedError', `batch starting at ${first} failed`);
    return input;
  };

  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  describe('MaxConcurrency', () => {
    it('never runs more children at once than MaxConcurrency, and uses all of it', async () => {
      // GIVEN twelve items, MaxConcurrency 3 and children that each wait until three are running
      const children = overlappingChildren(3, 12);
      // WHEN the Map runs
      const outcome = await run(mapMachine({ ItemProcessor: processor(fn('work')), MaxConcurrency: 3 }), range(12), children.handler);
      // THEN exactly three ran at the peak, and all twelve succeeded
      expect(outcome.status).toBe('SUCCEEDED');
      expect(children.peak).toBe(3);
      expect(outcome.output).toEqual(range(12));
    }, 10_000);
  });

  describe('tolerated failures', () => {
    // Seven items in batches of 3 -> children of 3, 3 and 1 items. The first child fails:
    // 3 of 7 items (42.9%) failed, but only 1 of 3 children (33.3%).
    const batched = (tolerance: Record<string, unknown>) =>
      mapMachine({ ItemProcessor: processor(fn('work')), ItemBatcher: { MaxItemsPerBatch: 3 }, ...tolerance });

    it('succeeds while the failed share of items stays within ToleratedFailurePercentage', async () => {
      // WHEN 43% is tolerated
      const outcome = await run(batched({ ToleratedFailurePercentage: 43 }), range(7), failFor([0]));
      // THEN the Map succeeds and the failed child appears in its output as its exported record
      expect(outcome.status).toBe('SUCCEEDED');
      const [failed, ...succeeded] = outcome.output as Record<string, unknown>[];
      expect(failed).toMatchObject({ Status: 'FAILED', Error: 'BatchFailedError', Cause: 'batch starting at 0 failed', Input: JSON.stringify({ Items: [0, 1, 2] }) });
      expect(succeeded).toEqual([{ Items: [3, 4, 5] }, { Items: [6] }]);
    });

    it('fails with States.ExceedToleratedFailureThreshold once failed items exceed the percentage, counting every item of a failed batch', async () => {
      // WHEN 40% is tolerated (more than the 33% of children, less than the 43% of items)
      const outcome = await run(batched({ ToleratedFailurePercentage: 40 }), range(7), failFor([0]));
      // THEN the Map fails with the threshold error, whose Cause gives the counts
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
      expect(outcome.cause).toContain('3 of 7 items failed');
    });

    it('reads ToleratedFailurePercentagePath from the Map input', async () => {
      // GIVEN the tolerance in the input, items under ItemsPath
      const definition = mapMachine({ ItemProcessor: processor(fn('work')), ItemsPath: '$.items', ItemBatcher: { MaxItemsPerBatch: 3 }, ToleratedFailurePercentagePath: '$.tolerance' });
      // WHEN 40% and then 43% are tolerated
      const strict = await run(definition, { tolerance: 40, items: range(7) }, failFor([0]));
      const lenient = await run(definition, { tolerance: 43, items: range(7) }, failFor([0]));
      // THEN only the lenient run succeeds
      expect(strict).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
      expect(lenient.status).toBe('SUCCEEDED');
    });

    it('tolerates up to ToleratedFailureCount failed items and fails on one more', async () => {
      // GIVEN ten single-item children of which two fail
      const definition = (count: number) => mapMachine({ ItemProcessor: processor(fn('work')), ToleratedFailureCount: count });
      // WHEN two and then one failure are tolerated
      const two = await run(definition(2), range(10), failFor([3, 7]));
      const one = await run(definition(1), range(10), failFor([3, 7]));
      // THEN two failures pass when two are tolerated, and exceed a tolerance of one
      expect(two.status).toBe('SUCCEEDED');
      expect(one).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
      expect(one.cause).toContain('ToleratedFailureCount 1');
    });

    it('fails on the first failure without a tolerance, and starts no further child', async () => {
      // GIVEN one child at a time and the third item failing
      const calls: unknown[] = [];
      const handler: TaskHandler = async (input) => (calls.push(input), failFor([2])(input));
      // WHEN the Map runs
      const outcome = await run(mapMachine({ ItemProcessor: processor(fn('work')), MaxConcurrency: 1 }), range(10), handler);
      // THEN it failed after exactly three children, leaving seven never started
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
      expect(calls).toEqual([0, 1, 2]);
      expect(outcome.stats.mapRuns[0]).toMatchObject({ status: 'FAILED', childrenSucceeded: 2, childrenFailed: 1, childrenNotStarted: 7 });
    });

    it('lets in-flight children finish after the threshold is exceeded', async () => {
      // GIVEN three children at a time, the first failing once the other two are running, which
      // finish only after the engine has seen that failure
      const finished: number[] = [];
      const othersRunning = latch(2);
      const failureSeen = deferred();
      const handler: TaskHandler = async (input) => {
        if (input === 0) {
          await othersRunning.promise;
          throw namedError('BatchFailedError', 'first fails fast');
        }
        othersRunning.arrive();
        await failureSeen.promise;
        finished.push(input as number);
        return input;
      };
      const onEvent = (event: EngineEvent) => event.kind === 'child-failed' && failureSeen.resolve();
      // WHEN the Map runs
      const outcome = await run(mapMachine({ ItemProcessor: processor(fn('work')), MaxConcurrency: 3 }), range(9), handler, { onEvent });
      // THEN the two running children completed, and no other started
      expect(outcome.status).toBe('FAILED');
      expect(finished.sort()).toEqual([1, 2]);
    }, 10_000);
  });

  describe('abort', () => {
    it('stops starting children and aborts the running one when the execution is aborted', async () => {
      // GIVEN one child at a time, and the second child aborting the execution while it runs (it
      // stays running until the execution has ended)
      const controller = new AbortController();
      const calls: unknown[] = [];
      const executionEnded = deferred();
      const handler: TaskHandler = async (input) => {
        calls.push(input);
        if (input === 1) {
          controller.abort();
          await executionEnded.promise;
        }
        return input;
      };
      // WHEN the Map runs
      const outcome = await run(mapMachine({ ItemProcessor: processor(fn('work')), MaxConcurrency: 1 }), range(10), handler, { signal: controller.signal }).finally(() =>
        executionEnded.resolve(),
      );
      // THEN the execution is ABORTED, the running child was aborted, and no later child started
      expect(outcome.status).toBe('ABORTED');
      expect(calls).toEqual([0, 1]);
      expect(outcome.stats.childExecutions.EXPRESS).toMatchObject({ started: 2, succeeded: 1, aborted: 1 });
      expect(outcome.stats.mapRuns[0]).toMatchObject({ status: 'ABORTED', childrenNotStarted: 8 });
    }, 10_000);
  });

  describe('Retry and Catch', () => {
    it('retries a named error thrown inside a child, per the child Task Retry', async () => {
      // GIVEN children whose Task retries BatchLeaseHeldError, and a handler failing each item's first attempt
      const attempts = new Map<number, number>();
      const handler: TaskHandler = async (input) => {
        const item = input as number;
        attempts.set(item, (attempts.get(item) ?? 0) + 1);
        if (attempts.get(item) === 1) throw namedError('BatchLeaseHeldError', `item ${item} lease held`);
        return { item, attempt: attempts.get(item) };
      };
      const child = processor(fn('work'), 'EXPRESS', { Retry: [{ ErrorEquals: ['BatchLeaseHeldError'], IntervalSeconds: 5, MaxAttempts: 2 }] });
      // WHEN the Map runs over three items
      const outcome = await run(mapMachine({ ItemProcessor: child }), range(3), handler);
      // THEN every child succeeded on its second attempt, and the retries count as child transitions
      expect(outcome.status).toBe('SUCCEEDED');
      expect(outcome.output).toEqual([0, 1, 2].map((item) => ({ item, attempt: 2 })));
      expect(outcome.stats.taskInvocations[fn('work')]).toBe(6);
      expect(outcome.stats.childExecutions.EXPRESS.stateTransitions).toBe(3 + 3);
      // (the Retry says 5 s; the 0 ms retryIntervalOverrides reaches the children, or this test times out)
    }, 3000);

    it('routes a failed Map Run through the Catch of the Map state, which keeps its ResultPath', async () => {
      // GIVEN a Map with a Catch on States.ExceedToleratedFailureThreshold
      const definition: AslDefinition = {
        StartAt: 'Fan',
        States: {
          Fan: {
            Type: 'Map',
            ItemProcessor: processor(fn('work')),
            ItemsPath: '$.items',
            Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], ResultPath: '$.error', Next: 'Recovered' }],
            Next: 'Unreachable',
          },
          Unreachable: { Type: 'Fail', Error: 'ShouldNotHappen' },
          Recovered: { Type: 'Pass', End: true },
        },
      };
      // WHEN one item fails
      const outcome = await run(definition, { items: [0, 1] }, failFor([1]));
      // THEN the Catch routed it with the Map's error
      expect(outcome.status).toBe('SUCCEEDED');
      expect(outcome.output).toMatchObject({ items: [0, 1], error: { Error: 'States.ExceedToleratedFailureThreshold' } });
    });
  });

  describe('ResultWriter', () => {
    const writerMap = (extra: Record<string, unknown>) =>
      mapMachine({
        ItemProcessor: processor(fn('work'), 'STANDARD'),
        ItemsPath: '$.items',
        Label: 'Batches',
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { 'Bucket.$': '$.out.bucket', Prefix: 'results/run' } },
        ResultPath: '$.mapResult',
        ...extra,
      });

    it('writes manifest.json and SUCCEEDED_0.json / FAILED_0.json, and outputs { MapRunArn, ResultWriterDetails }', async () => {
      // GIVEN four items, one failing, one failure tolerated
      const input = { items: [0, 1, 2, 3], out: { bucket: fixture.bucket } };
      // WHEN the Map runs
      const outcome = await run(writerMap({ ToleratedFailureCount: 1 }), input, failFor([2]));
      // THEN the Map output (under ResultPath) points at the manifest under <Prefix>/<map run id>/
      expect(outcome.status).toBe('SUCCEEDED');
      const { mapResult } = outcome.output as { mapResult: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } } };
      const match = /^arn:aws:states:us-east-1:000000000000:mapRun:LocalStateMachine\/Batches:([0-9a-f-]{36})$/.exec(mapResult.MapRunArn);
      expect(match).not.toBeNull();
      const mapRunId = match![1];
      expect(mapResult.ResultWriterDetails).toEqual({ Bucket: fixture.bucket, Key: `results/run/${mapRunId}/manifest.json` });
      expect(outcome.output).toMatchObject(input);

      // AND the manifest lists each result file with its real size
      const manifest = JSON.parse(await fixture.getText(mapResult.ResultWriterDetails.Key));
      const succeededKey = `results/run/${mapRunId}/SUCCEEDED_0.json`;
      const failedKey = `results/run/${mapRunId}/FAILED_0.json`;
      const succeededText = await fixture.getText(succeededKey);
      const failedText = await fixture.getText(failedKey);
      expect(manifest).toEqual({
        DestinationBucket: fixture.bucket,
        MapRunArn: mapResult.MapRunArn,
        ResultFiles: {
          FAILED: [{ Key: failedKey, Size: Buffer.byteLength(failedText) }],
          PENDING: [],
          SUCCEEDED: [{ Key: succeededKey, Size: Buffer.byteLength(succeededText) }],
        },
      });

      // AND the files hold the children with the fields AWS exports, Input and Output as JSON strings
      const succeeded = JSON.parse(succeededText) as Record<string, unknown>[];
      expect(succeeded.map((entry) => JSON.parse(entry.Output as string))).toEqual([0, 1, 3]);
      expect(succeeded[0]).toMatchObject({
        Input: '0',
        InputDetails: { Included: true },
        OutputDetails: { Included: true },
        Status: 'SUCCEEDED',
        StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:LocalStateMachine/Batches',
      });
      expect(succeeded[0]!.ExecutionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:execution:LocalStateMachine\/Batches:/);
      expect(Date.parse(succeeded[0]!.StopDate as string)).toBeGreaterThanOrEqual(Date.parse(succeeded[0]!.StartDate as string));
      expect(JSON.parse(failedText)).toEqual([
        expect.objectContaining({ Status: 'FAILED', Input: '2', Error: 'BatchFailedError', Cause: 'batch starting at 2 failed' }),
      ]);
    });

    it('exports never-started children to PENDING_0.json when the Map Run fails', async () => {
      // GIVEN one child at a time, the second failing, no tolerance
      const input = { items: [0, 1, 2, 3, 4], out: { bucket: fixture.bucket } };
      // WHEN the Map runs
      const outcome = await run(writerMap({ MaxConcurrency: 1 }), input, failFor([1]));
      // THEN the run failed, and its export lists 1 succeeded, 1 failed, 3 pending children
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
      const manifestUri = outcome.stats.mapRuns[0]!.resultManifest!;
      const manifest = JSON.parse(await fixture.getText(manifestUri.replace(`s3://${fixture.bucket}/`, '')));
      const countIn = async (status: string) => JSON.parse(await fixture.getText(manifest.ResultFiles[status][0].Key)).length;
      expect([await countIn('SUCCEEDED'), await countIn('FAILED'), await countIn('PENDING')]).toEqual([1, 1, 3]);
      const pending = JSON.parse(await fixture.getText(manifest.ResultFiles.PENDING[0].Key));
      expect(pending[0]).toEqual({ Input: '2', InputDetails: { Included: true }, Status: 'PENDING' });
    });
  });

  describe('stats and events', () => {
    it('counts children by execution type, their durations and their transitions, apart from the parent', async () => {
      // GIVEN an EXPRESS Map over 3 items then a STANDARD Map over 2, children taking >= 10 ms
      const definition: AslDefinition = {
        StartAt: 'Fast',
        States: {
          Fast: { Type: 'Map', ItemProcessor: processor(fn('work'), 'EXPRESS'), ItemsPath: '$.a', ResultPath: null, Next: 'Durable' },
          Durable: { Type: 'Map', ItemProcessor: processor(fn('work'), 'STANDARD'), ItemsPath: '$.b', End: true },
        },
      };
      // WHEN it runs
      const outcome = await run(definition, { a: [1, 2, 3], b: [4, 5] }, async (input) => (await sleep(10), input));
      // THEN the parent entered 2 states; each child entered its one state
      expect(outcome.stats.stateTransitions).toBe(2);
      expect(outcome.stats.childExecutions.EXPRESS).toMatchObject({ started: 3, succeeded: 3, failed: 0, stateTransitions: 3 });
      expect(outcome.stats.childExecutions.STANDARD).toMatchObject({ started: 2, succeeded: 2, failed: 0, stateTransitions: 2 });
      expect(outcome.stats.childExecutions.EXPRESS.durationMs).toBeGreaterThanOrEqual(3 * 9);
      expect(outcome.stats.childExecutions.STANDARD.durationMs).toBeGreaterThanOrEqual(2 * 9);
      expect(outcome.stats.mapRuns.map((r) => [r.stateName, r.executionType, r.itemCount])).toEqual([
        ['Fast', 'EXPRESS', 3],
        ['Durable', 'STANDARD', 2],
      ]);
    });

    it('measures payloads inside children exactly, naming the child execution', async () => {
      // GIVEN children that return 3,000 two-byte characters for item 1, exported to S3 so the parent stays small
      const blob = 'é'.repeat(3000);
      const definition = mapMachine({
        ItemProcessor: processor(fn('work')),
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: fixture.bucket, Prefix: 'payload' } },
      });
      // WHEN it runs
      const outcome = await run(definition, [0, 1, 2], async (input) => (input === 1 ? { blob } : { small: true }));
      // THEN the largest payload is that child's Task output, in bytes
      expect(outcome.stats.maxPayloadBytes).toBe(Buffer.byteLength(JSON.stringify({ blob })));
      expect(outcome.stats.maxPayloadAt).toMatchObject({ stateName: 'Work', direction: 'output' });
      expect(outcome.stats.maxPayloadAt!.executionName).not.toBe('parent');
    });

    it('reports progress: started, each child, finished', async () => {
      // GIVEN three items, the second failing, one failure tolerated, one child at a time
      const events: EngineEvent[] = [];
      // WHEN the Map runs
      await run(mapMachine({ ItemProcessor: processor(fn('work')), MaxConcurrency: 1, ToleratedFailureCount: 1 }), range(3), failFor([1]), { onEvent: (e) => events.push(e) });
      // THEN the events tell the story in order, with running counts
      expect(events.map((e) => e.kind)).toEqual(['map-run-started', 'child-succeeded', 'child-failed', 'child-succeeded', 'map-run-finished']);
      expect(events[2]).toMatchObject({ kind: 'child-failed', childIndex: 1, error: 'BatchFailedError', progress: { failed: 1, failedItems: 1, succeeded: 1 } });
      expect(events[4]).toMatchObject({ kind: 'map-run-finished', status: 'SUCCEEDED', progress: { totalChildren: 3, succeeded: 2, failed: 1, running: 0 } });
    });
  });
});
