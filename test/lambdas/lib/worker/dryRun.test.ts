import { listBatches } from '../../../../lambdas/lib/ledger';
import { countTargetWrites } from '../../support/crash';
import { dynamoTargets, useEmulators } from '../../../support';
import { createScenario, processAll, SCENARIO_COUNTS } from '../../support/scenario';

describe.each(dynamoTargets())('dry-run on %s', (target) => {
  const env = useEmulators(target);

  it('writes nothing to the target and takes no snapshot, yet counts what an apply run would change', async () => {
    // GIVEN the scenario in dry-run mode
    const { f, items, before } = await createScenario(env(), { mode: 'dry-run' });
    const writes = countTargetWrites(f.targetTable);

    // WHEN every batch runs
    const outcomes = await processAll(f, items, 'attempt-a', f.depsWithHook(writes.hook));

    // THEN the target is untouched, no snapshot exists, and the counts are those of a real run
    expect(writes.count).toBe(0);
    expect(await f.dumpTarget()).toBe(before);
    expect(await f.listArtifacts('snapshots/')).toEqual([]);
    const batches = await listBatches(f.deps, f.runId);
    expect(batches.map((b) => [b.status, b.snapshot])).toEqual([
      ['DONE', undefined],
      ['DONE', undefined],
      ['DONE', undefined],
    ]);
    expect(outcomes.map((o) => o.counts)).toEqual(SCENARIO_COUNTS);
  });
});
