import { ListMapRunsCommand, UpdateMapRunCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { listAudit } from '../../../../lambdas/lib/ledger';
import { InvalidMapRunConcurrencyError, MapRunUpdateError, readController, reportBatchHealth, setMapRunConcurrency, type BatchHealthReport } from '../../../../lambdas/lib/rate';
import { createTestStore, useEmulators, type TestStore } from '../../../support';
import { stagedMapRuns } from '../../support/stagedMapRuns';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:Backfill:run-1';
const MAP_RUN = 'arn:aws:states:us-east-1:123456789012:mapRun:Backfill/ProcessBatches:00000000-0000-0000-0000-000000000002';
const ENDED_MAP_RUN = 'arn:aws:states:us-east-1:123456789012:mapRun:Backfill/ProcessBatches:00000000-0000-0000-0000-000000000001';

/**
 * Step Functions' ListMapRuns / UpdateMapRun as a recorded fake (the local cloud's real ones are
 * exercised end to end in test/local/runtime/adaptiveWriteRate.test.ts): one ended and one running Map Run.
 */
function fakeSfn(options: { updateFails?: Error } = {}) {
  const sent: Array<{ command: string; input: unknown }> = [];
  const sfn = {
    send: async (command: ListMapRunsCommand | UpdateMapRunCommand) => {
      sent.push({ command: command.constructor.name, input: command.input });
      if (command instanceof ListMapRunsCommand) {
        return {
          mapRuns: [
            { executionArn: EXECUTION, mapRunArn: ENDED_MAP_RUN, stateMachineArn: 'x', startDate: new Date(1000), stopDate: new Date(2000) },
            { executionArn: EXECUTION, mapRunArn: MAP_RUN, stateMachineArn: 'x', startDate: new Date(3000) },
          ],
        };
      }
      if (options.updateFails) throw options.updateFails;
      return {};
    },
  } as unknown as SFNClient;
  return { sfn, sent };
}

describe('reportBatchHealth', () => {
  const env = useEmulators('dynalite');
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(env());
  });
  let n = 0;
  const T0 = Date.UTC(2026, 0, 1);
  const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
  const newRun = () => `run-${++n}`;
  const report = (runId: string, fields: Partial<BatchHealthReport>): BatchHealthReport => ({ runId, executionArn: EXECUTION, throttles: 0, at: at(0), maxConcurrency: 8, ...fields });

  it('creates the controller at the spec\'s maxConcurrency and changes nothing on a healthy batch', async () => {
    const { sfn, sent } = fakeSfn();
    const runId = newRun();
    const answer = await reportBatchHealth({ ...store.deps, clients: { ...store.deps.clients, sfn } }, report(runId, {}));
    expect(answer.change).toBeUndefined();
    expect(await readController(store.deps, runId)).toEqual({ runId, concurrency: 8, maxConcurrency: 8, createdAt: at(0), changes: [], version: 0 });
    expect(sent).toEqual([]);
  });

  it('halves on throttles: records, audits and applies the change to the running Map Run', async () => {
    // GIVEN a run at concurrency 8
    const { sfn, sent } = fakeSfn();
    const deps = { ...store.deps, clients: { ...store.deps.clients, sfn } };
    const runId = newRun();
    await reportBatchHealth(deps, report(runId, {}));
    // WHEN a batch reports 3 throttles
    const answer = await reportBatchHealth(deps, report(runId, { throttles: 3, at: at(5) }));
    // THEN concurrency 4, on the record, in the audit trail and on the running Map Run (not the ended one)
    const change = { at: at(5), from: 8, to: 4, why: '3 throttled requests in a batch: halved', mapRunArn: MAP_RUN };
    expect(answer.change).toEqual(change);
    expect(await readController(store.deps, runId)).toMatchObject({ concurrency: 4, lastChangeAt: at(5), lastDecreaseAt: at(5), lastThrottleAt: at(5), mapRunArn: MAP_RUN, changes: [change], version: 1 });
    expect(sent).toEqual([
      { command: 'ListMapRunsCommand', input: { executionArn: EXECUTION } },
      { command: 'UpdateMapRunCommand', input: { mapRunArn: MAP_RUN, maxConcurrency: 4 } },
    ]);
    const audit = await listAudit(store.deps, runId);
    expect(audit).toEqual([expect.objectContaining({ type: 'ConcurrencyChanged', actor: 'rate-controller', detail: { ...change, throttles: 3 } })]);
  });

  it('lets one of the workers reporting at once win the change', async () => {
    // GIVEN a run at 8 and five workers whose batches saw throttles at the same time
    const { sfn, sent } = fakeSfn();
    const deps = { ...store.deps, clients: { ...store.deps.clients, sfn } };
    const runId = newRun();
    await reportBatchHealth(deps, report(runId, {}));
    const answers = await Promise.all(Array.from({ length: 5 }, () => reportBatchHealth(deps, report(runId, { throttles: 1, at: at(5) }))));
    // THEN one halving (8 → 4, not 8 → 4 → 2 → 1), one UpdateMapRun, one audit; every worker learns 4
    expect(answers.filter((a) => a.change)).toHaveLength(1);
    expect(answers.map((a) => a.controller.concurrency)).toEqual([4, 4, 4, 4, 4]);
    expect(sent.filter((s) => s.command === 'UpdateMapRunCommand')).toHaveLength(1);
    expect((await listAudit(store.deps, runId)).filter((e) => e.type === 'ConcurrencyChanged')).toHaveLength(1);
  });

  it('waits out the cooldown, never reaches 0, and recovers one at a time after a healthy interval', async () => {
    const { sfn, sent } = fakeSfn();
    const deps = { ...store.deps, clients: { ...store.deps.clients, sfn } };
    const runId = newRun();
    const steps: Array<[seconds: number, throttles: number]> = [
      [0, 0], [1, 5], [2, 5], [11, 5], [21, 5], [31, 5], [41, 5], // 8 → 4, (cooldown), → 2, → 1, stays 1, stays 1
      [60, 0], [71, 0], [72, 0], [102, 0], [132, 0], [162, 0], [192, 0], [222, 0], [252, 0], [282, 0], [312, 0], // healthy: +1 each 30 s up to 8
    ];
    const seen: number[] = [];
    for (const [seconds, throttles] of steps) seen.push((await reportBatchHealth(deps, report(runId, { throttles, at: at(seconds) }))).controller.concurrency);
    expect(seen).toEqual([8, 4, 4, 2, 1, 1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 8, 8]);
    const updates = sent.filter((s) => s.command === 'UpdateMapRunCommand').map((s) => (s.input as { maxConcurrency: number }).maxConcurrency);
    expect(updates).toEqual([4, 2, 1, 2, 3, 4, 5, 6, 7, 8]);
    // the record keeps the last 20 changes; the audit trail all of them
    expect((await readController(store.deps, runId))?.changes.map((c) => c.to)).toEqual(updates);
  });

  it('keeps only the last 20 changes on the record', async () => {
    const { sfn } = fakeSfn();
    const deps = { ...store.deps, clients: { ...store.deps.clients, sfn } };
    const runId = newRun();
    // 8 → 4 → 2 → 1 then up and down: 24 changes, 30 s apart
    await reportBatchHealth(deps, report(runId, { maxConcurrency: 2 }));
    for (let i = 1; i <= 24; i++) await reportBatchHealth(deps, report(runId, { maxConcurrency: 2, throttles: i % 2, at: at(i * 40) }));
    const controller = await readController(store.deps, runId);
    expect(controller?.version).toBe(24);
    expect(controller?.changes).toHaveLength(20);
    expect(controller?.changes[0]?.at).toBe(at(5 * 40));
  });

  it('names the Map Run and what to do when UpdateMapRun is refused, with the change recorded', async () => {
    const refused = Object.assign(new Error('User is not authorized to perform: states:UpdateMapRun'), { name: 'AccessDeniedException' });
    const { sfn } = fakeSfn({ updateFails: refused });
    const deps = { ...store.deps, clients: { ...store.deps.clients, sfn } };
    const runId = newRun();
    await reportBatchHealth(deps, report(runId, {}));
    const error = await reportBatchHealth(deps, report(runId, { throttles: 1, at: at(1) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MapRunUpdateError);
    expect((error as Error).message).toContain(`UpdateMapRun of ${MAP_RUN} to maxConcurrency 4 failed (AccessDeniedException`);
    expect((error as Error).message).toContain('states:update-map-run');
    expect((await readController(store.deps, runId))?.concurrency).toBe(4);
  });
});

describe('reportBatchHealth when a new Map Run has started', () => {
  const env = useEmulators('dynalite');
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(env());
  });
  const T0 = Date.UTC(2026, 0, 1);
  const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
  const NEXT_STAGE = 'arn:aws:states:us-east-1:123456789012:mapRun:Backfill/ProcessStage:00000000-0000-0000-0000-000000000003';

  it('applies a change to the Map Run running now, the next stage\'s, from the controller\'s concurrency', async () => {
    // GIVEN a run whose first Map Run was cut from 8 to 4
    const { sfn, updates, nextStage } = stagedMapRuns({ executionArn: EXECUTION, first: MAP_RUN, next: NEXT_STAGE, maxConcurrency: 8 });
    const deps = { ...store.deps, clients: { ...store.deps.clients, sfn } };
    const report = (fields: Partial<BatchHealthReport>): BatchHealthReport => ({ runId: 'staged', executionArn: EXECUTION, throttles: 0, at: at(0), maxConcurrency: 8, ...fields });
    await reportBatchHealth(deps, report({}));
    await reportBatchHealth(deps, report({ throttles: 1, at: at(1) }));
    // WHEN the next stage's Map Run runs and a healthy interval has passed
    nextStage();
    const healthy = await reportBatchHealth(deps, report({ at: at(60) }));
    // THEN the controller rises from its own 4 (not from the 8 the Map Run started at: its workers
    // brought it to 4 as they started, see startWriteRateControl.test.ts) and sets the new Map Run to 5
    expect(healthy.change).toEqual({ at: at(60), from: 4, to: 5, why: 'no throttle for 30s: one more', mapRunArn: NEXT_STAGE });
    expect(healthy.controller).toMatchObject({ concurrency: 5, mapRunArn: NEXT_STAGE });
    expect(updates).toEqual([{ mapRunArn: MAP_RUN, maxConcurrency: 4 }, { mapRunArn: NEXT_STAGE, maxConcurrency: 5 }]);
  });
});

describe('setMapRunConcurrency', () => {
  it('never sends 0 (unlimited to UpdateMapRun) nor a fraction', async () => {
    const { sfn, sent } = fakeSfn();
    for (const value of [0, -1, 1.5]) {
      await expect(setMapRunConcurrency(sfn, 'run-1', MAP_RUN, value)).rejects.toThrow(InvalidMapRunConcurrencyError);
    }
    expect(sent).toEqual([]);
  });
});
