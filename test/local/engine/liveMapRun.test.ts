import { S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig } from '../../../local/aws';
import { MapRunValidationError, runExecution, type AslDefinition, type LiveMapRun, type TaskHandler } from '../../../local/engine';
import { deferred, waitFor, type Deferred } from '../../support';
import { fn, mapMachine, namedError, processor, startS3Fixture } from './fixtures';

// No ItemReader/ResultWriter here: S3 is never called (a call would fail fast on port 9).
const s3 = new S3Client(localS3ClientConfig('http://127.0.0.1:9'));
afterAll(() => s3.destroy());

interface StartedChild {
  readonly input: unknown;
  /** Children running in the handler when this one started, itself included. */
  readonly runningAtStart: number;
  readonly release: Deferred<void>;
}

/** A child handler that holds every child until the test releases it (`fail` makes it throw), and records how many ran at once. */
function gatedChildren() {
  const started: StartedChild[] = [];
  const failing = new Set<number>();
  let running = 0;
  const handler: TaskHandler = async (input) => {
    running += 1;
    const child: StartedChild = { input, runningAtStart: running, release: deferred() };
    const index = started.push(child) - 1;
    await child.release.promise;
    running -= 1;
    if (failing.has(index)) throw namedError('Boom', `child ${index} failed`);
    return input;
  };
  const startedCount = (count: number) => waitFor(() => started.length >= count, { describe: `${count} children to start` });
  return { handler, started, startedCount, fail: (index: number) => failing.add(index) };
}

function start(map: Record<string, unknown>, items: unknown[], handler: TaskHandler) {
  const mapRuns: LiveMapRun[] = [];
  const run = runExecution({
    definition: mapMachine({ ItemProcessor: processor(fn('child')), ...map }) as AslDefinition,
    input: items,
    executionName: 'e1',
    stateMachineName: 'backfill',
    s3,
    taskHandlers: { [fn('child')]: handler },
    onMapRunStarted: (mapRun) => mapRuns.push(mapRun),
  });
  return { run, mapRuns };
}

describe('live Map Runs (onMapRunStarted)', () => {
  it('raising MaxConcurrency from 1 to 3 starts two more children at once', async () => {
    // GIVEN a Map Run over five items with MaxConcurrency 1, its first child running
    const children = gatedChildren();
    const { run, mapRuns } = start({ MaxConcurrency: 1 }, [1, 2, 3, 4, 5], children.handler);
    await children.startedCount(1);
    expect(mapRuns[0].describe().executionCounts).toMatchObject({ running: 1, pending: 4 });
    // WHEN MaxConcurrency is raised to 3
    mapRuns[0].update({ maxConcurrency: 3 });
    // THEN three children run at once, and never more
    await children.startedCount(3);
    expect(children.started.map((c) => c.runningAtStart)).toEqual([1, 2, 3]);
    expect(mapRuns[0].describe()).toMatchObject({ maxConcurrency: 3, executionCounts: { running: 3, pending: 2 } });
    for (let i = 0; i < 5; i++) (await children.startedCount(i + 1), children.started[i].release.resolve());
    expect(await run).toMatchObject({ status: 'SUCCEEDED', output: [1, 2, 3, 4, 5] });
    expect(Math.max(...children.started.map((c) => c.runningAtStart))).toBe(3);
  });

  it('lowering MaxConcurrency from 3 to 1 lets the running children finish and starts the next ones one at a time', async () => {
    // GIVEN a Map Run over six items with three children running
    const children = gatedChildren();
    const { run, mapRuns } = start({ MaxConcurrency: 3 }, [1, 2, 3, 4, 5, 6], children.handler);
    await children.startedCount(3);
    // WHEN MaxConcurrency is lowered to 1 and the three running children finish
    mapRuns[0].update({ maxConcurrency: 1 });
    children.started.slice(0, 3).forEach((c) => c.release.resolve());
    // THEN each later child starts alone
    for (let i = 3; i < 6; i++) (await children.startedCount(i + 1), children.started[i].release.resolve());
    expect(await run).toMatchObject({ status: 'SUCCEEDED' });
    expect(children.started.slice(3).map((c) => c.runningAtStart)).toEqual([1, 1, 1]);
  });

  it('raising the tolerated failure count lets a Map Run that would fail go on; lowering it stops it from starting more', async () => {
    // GIVEN two Map Runs one child at a time: the first tolerates no failure, the second tolerates 5
    const raised = gatedChildren();
    raised.fail(0);
    const first = start({ MaxConcurrency: 1 }, [1, 2, 3], raised.handler);
    const lowered = gatedChildren();
    lowered.fail(0);
    const second = start({ MaxConcurrency: 1, ToleratedFailureCount: 5 }, [1, 2, 3], lowered.handler);
    await Promise.all([raised.startedCount(1), lowered.startedCount(1)]);
    // WHEN the first now tolerates one failure, the second none, before their failing child ends
    first.mapRuns[0].update({ toleratedFailureCount: 1 });
    second.mapRuns[0].update({ toleratedFailureCount: 0 });
    raised.started[0].release.resolve();
    lowered.started[0].release.resolve();
    for (let i = 1; i < 3; i++) (await raised.startedCount(i + 1), raised.started[i].release.resolve());
    // THEN the first succeeds with one failed child, the second fails without starting another child
    const [raisedOutcome, loweredOutcome] = await Promise.all([first.run, second.run]);
    expect(raisedOutcome.status).toBe('SUCCEEDED');
    expect(first.mapRuns[0].describe()).toMatchObject({ status: 'SUCCEEDED', toleratedFailureCount: 1, executionCounts: { succeeded: 2, failed: 1 } });
    expect(loweredOutcome).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect(lowered.started).toHaveLength(1);
    expect(second.mapRuns[0].describe()).toMatchObject({ status: 'FAILED', toleratedFailureCount: 0, executionCounts: { failed: 1, pending: 2 } });
  });

  it('starts nothing once every child has ended, even if an update arrives while the results are written', async () => {
    // GIVEN a Map Run with a ResultWriter on s3rver, one child at a time, whose first child fails (no failure tolerated)
    const fixture = await startS3Fixture();
    try {
      const calls: unknown[] = [];
      const child: TaskHandler = async (input) => {
        calls.push(input);
        throw namedError('Boom', 'no');
      };
      const mapRuns: LiveMapRun[] = [];
      const run = runExecution({
        definition: mapMachine({ ItemProcessor: processor(fn('child')), MaxConcurrency: 1, ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: fixture.bucket, Prefix: 'out' } } }) as AslDefinition,
        input: [1, 2, 3],
        executionName: 'e1',
        s3: fixture.s3,
        taskHandlers: { [fn('child')]: child },
        onMapRunStarted: (mapRun) => mapRuns.push(mapRun),
        // WHEN the tolerated failure is raised one macrotask after the child failed: the Map Run is decided, its results are being written
        onEvent: (event) => void (event.kind === 'child-failed' && setImmediate(() => mapRuns[0].update({ toleratedFailureCount: 5 }))),
      });
      // THEN it fails as decided and no other child ran
      expect(await run).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
      expect(calls).toEqual([1]);
      expect(mapRuns[0].describe()).toMatchObject({ status: 'FAILED', toleratedFailureCount: 5, executionCounts: { failed: 1, pending: 2, resultsWritten: 1 } });
    } finally {
      await fixture.close();
    }
  });

  it('describes the Map Run as DescribeMapRun does: item and child counts, status, dates, settings', async () => {
    // GIVEN five items in batches of two (three children), one child at a time, 40 % tolerated
    const children = gatedChildren();
    const { run, mapRuns } = start({ MaxConcurrency: 1, ToleratedFailurePercentage: 40, ItemBatcher: { MaxItemsPerBatch: 2 } }, [1, 2, 3, 4, 5], children.handler);
    await children.startedCount(1);
    // WHEN it is described while the first child runs, and after it ended
    const running = mapRuns[0].describe();
    for (let i = 0; i < 3; i++) (await children.startedCount(i + 1), children.started[i].release.resolve());
    await run;
    const ended = mapRuns[0].describe();
    // THEN
    const zero = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, resultsWritten: 0 };
    expect(running).toEqual({
      mapRunArn: expect.stringMatching(/^arn:aws:states:us-east-1:000000000000:mapRun:backfill\/Fan:[0-9a-f-]{36}$/),
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:backfill:e1',
      status: 'RUNNING',
      startDate: expect.any(Date),
      maxConcurrency: 1,
      toleratedFailurePercentage: 40,
      toleratedFailureCount: 0,
      itemCounts: { ...zero, pending: 3, running: 2, total: 5 },
      executionCounts: { ...zero, pending: 2, running: 1, total: 3 },
      redriveCount: 0,
    });
    expect(ended).toMatchObject({ status: 'SUCCEEDED', stopDate: expect.any(Date), itemCounts: { ...zero, succeeded: 5, total: 5 }, executionCounts: { ...zero, succeeded: 3, total: 3 } });
    expect(ended.stopDate!.getTime()).toBeGreaterThanOrEqual(ended.startDate.getTime());
    expect(mapRuns[0].mapRunArn).toBe(running.mapRunArn);
  });

  it('reports MaxConcurrency 0 (unlimited) as 0 and refuses bad values, empty updates and ended Map Runs with ValidationException', async () => {
    // GIVEN a running Map Run without MaxConcurrency
    const children = gatedChildren();
    const { run, mapRuns } = start({}, [1], children.handler);
    await children.startedCount(1);
    const mapRun = mapRuns[0];
    expect(mapRun.describe().maxConcurrency).toBe(0);
    // WHEN values AWS refuses are sent THEN each is refused, naming the field and the value, and nothing changes
    const refused = (update: Parameters<LiveMapRun['update']>[0]) => {
      try {
        mapRun.update(update);
      } catch (error) {
        expect(error).toBeInstanceOf(MapRunValidationError);
        expect((error as Error).name).toBe('ValidationException');
        return (error as Error).message;
      }
      throw new Error(`update ${JSON.stringify(update)} was accepted`);
    };
    expect(refused({ maxConcurrency: -1 })).toBe("1 validation error detected: Value '-1' at 'maxConcurrency' failed to satisfy constraint: Member must be an integer greater than or equal to 0");
    expect(refused({ toleratedFailurePercentage: 101, toleratedFailureCount: 1.5 })).toMatch(/^2 validation errors detected: Value '101' at 'toleratedFailurePercentage'.*; Value '1.5' at 'toleratedFailureCount'/);
    expect(refused({})).toMatch(/needs at least one of maxConcurrency/);
    expect(mapRun.describe()).toMatchObject({ maxConcurrency: 0, toleratedFailurePercentage: 0, toleratedFailureCount: 0 });
    children.started[0].release.resolve();
    await run;
    expect(refused({ maxConcurrency: 5 })).toBe(`Map Run ${mapRun.mapRunArn} has ended (SUCCEEDED); only a RUNNING Map Run can be updated`);
  });
});
