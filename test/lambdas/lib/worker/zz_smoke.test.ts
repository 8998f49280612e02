import { processBatch } from '../../../../lambdas/lib/worker';
import { dynamoTargets, useEmulators } from '../../support/emulators';
import { createFixture } from '../../support/fixture';
import { sourceLines } from '../../support/doubler';

describe.each(dynamoTargets())('smoke on %s', (target) => {
  const env = useEmulators(target);
  it('runs', async () => {
    const f = await createFixture(env(), { batchSize: 5 });
    const items = await f.plan(sourceLines(12));
    console.log(items);
    const calls: string[] = [];
    const deps = f.depsWithHook((c) => { calls.push(`${c.command} ${c.tableName}`); });
    const out = await processBatch(deps, f.ctx('a'), items[0]!);
    console.log(out, calls, await f.dumpTarget(), await f.batch('b0000000'));
  });
});
