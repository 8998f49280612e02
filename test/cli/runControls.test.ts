import { readRunControls } from '../../cli/runs/runControls';
import { progressLine } from '../../cli/runs/formatProgress';
import type { Target } from '../../cli/target';
import { getRun, markRunFailed, markRunPaused, requestPause, startOrResumeRun, type RunRecord } from '../../lambdas/lib/ledger';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { specHash } from '../../lambdas/lib/spec';
import { createTestStore, useEmulators } from '../support';
import { specFor } from '../lambdas/fixtures/specs';

const TOKEN = 'task-token-of-WaitForOperator';

describe('readRunControls: the pause or abort status shows', () => {
  const env = useEmulators('dynalite');
  let deps: Deps;
  let runs = 0;
  beforeAll(async () => {
    deps = (await createTestStore(env())).deps;
  });
  // readRunControls reads only the target's ledger.
  const target = (): Target => ({ deps }) as Target;

  async function pausedRun(): Promise<RunRecord> {
    const runId = `controls-run-${++runs}`;
    const spec = specFor('source-bucket', 'orders/');
    await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec), startedBy: 'local:starter' });
    await requestPause(deps, runId, { by: 'alarm:Backfill-Breaker', reason: 'the breaker opened', trigger: 'breaker' });
    return markRunPaused(deps, runId, { taskToken: TOKEN });
  }

  it('a PAUSED run: who paused it and why, never its task token', async () => {
    const controls = await readRunControls(target(), await pausedRun());
    expect(controls.control).toMatchObject({ action: 'pause', by: 'alarm:Backfill-Breaker', reason: 'the breaker opened' });
    expect(JSON.stringify(controls)).not.toContain(TOKEN);
  });

  it('a paused run that then FAILED: no "paused by" (the pause is only history on the record)', async () => {
    const { runId } = await pausedRun();
    await markRunFailed(deps, runId, { Error: 'States.Runtime', Cause: 'a state failed' });
    const failed = (await getRun(deps, runId))!;
    const controls = await readRunControls(target(), failed);
    expect(controls.control).toBeUndefined();
    const line = progressLine({ runId, status: failed.status, batches: { done: 0 }, records: { read: 0 }, controls } as Parameters<typeof progressLine>[0]);
    expect(line).not.toContain('paused by');
  });
});
