import { openBreaker, readBreaker } from '../../../lambdas/lib/breaker';
import { listAudit, listBatches } from '../../../lambdas/lib/ledger';
import type { Clock } from '../../../lambdas/lib/runtime/Clock';
import { LOCAL_NAMES } from '../../../infra/definitions';
import { ensureDemoSeeded } from '../../../local/runtime/ensureDemoSeeded';
import { startLocalEnvironment, type LocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { runBackfillLocally } from '../../../local/runtime/runBackfillLocally';
import { deferred } from '../../support';
import { exampleSpec } from './localRun';

jest.setTimeout(300_000);

/** An injected clock that moves 1 ms on every read: every timestamp is distinct and ordered like the reads. */
function steppingClock(startMs: number): Clock {
  let now = startMs;
  return { nowMs: () => now++ };
}

/** Batches claimed when the test hook opens the breaker. */
const OPEN_AFTER_CLAIMS = 4;

/**
 * Invariant 7 on the local engine: once the breaker is open, no batch starts writing, and work in
 * flight is bounded by MaxConcurrency. The hook opens the breaker mid-run, at a point where every
 * gate check that already let a batch through has claimed it (new gate checks wait meanwhile), so
 * "no claim after T" is exact, not a race the test usually wins.
 */
describe('the breaker opened mid-run (invariant 7, on the local engine)', () => {
  let env: LocalEnvironment;
  afterAll(async () => {
    await env?.close();
  });

  it('claims no batch after the breaker opened at T; batches in flight finish; never more than MaxConcurrency workers at once', async () => {
    // GIVEN a run of 30 batches, 3 per worker, 2 workers at a time, on an injected clock
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    env = await startLocalEnvironment({ codeVersion: 'test', clock: steppingClock(Date.UTC(2026, 11, 1, 10)) });
    await ensureDemoSeeded(env.clients, 3_000);
    const spec = exampleSpec({ batchSize: 100, batchesPerWorker: 3, maxConcurrency: 2, onFailure: 'stop' });
    // AND a hook on the handlers' DynamoDB calls that opens the breaker after the 4th claim
    let gateChecks = 0;
    let claims = 0;
    let held: Promise<void> | undefined;
    let opened: Promise<string> | undefined;
    const caughtUp = deferred<void>();
    const isGateCheck = (command: string, input: Record<string, unknown>) => command === 'BatchGetItemCommand' && LOCAL_NAMES.ledgerTable in ((input.RequestItems as object | undefined) ?? {});
    env.clients.ddb.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        const command = String(context.commandName);
        if (isGateCheck(command, input)) {
          while (held) await held;
          gateChecks += 1;
        }
        const result = await next(args);
        if (command === 'PutItemCommand' && (input.Item as { type?: unknown } | undefined)?.type === 'BatchClaimed') {
          claims += 1;
          if (claims === OPEN_AFTER_CLAIMS && !opened) {
            const release = deferred<void>();
            held = release.promise;
            opened = (async () => {
              // Every gate check already past has claimed its batch: from here on, each one sees the breaker.
              await caughtUp.promise;
              const { breaker } = await openBreaker(env.deps, { by: 'test:hook', reason: 'opened mid-run by the test' });
              held = undefined;
              release.resolve();
              return breaker.openedAt!;
            })();
          }
          if (opened && claims >= gateChecks) caughtUp.resolve();
        }
        return result;
      },
      { step: 'initialize', name: 'breakerTestHook' },
    );
    let workers = 0;
    let maxWorkers = 0;
    // WHEN the run goes
    const outcome = await runBackfillLocally({
      env,
      input: spec,
      runId: 'breaker-run',
      wrapTaskHandler: (name, handler) => (name !== 'worker' ? handler : async (payload) => {
        workers += 1;
        maxWorkers = Math.max(maxWorkers, workers);
        try {
          return await handler(payload);
        } finally {
          workers -= 1;
        }
      }),
    });
    // THEN the breaker opened mid-run, and no batch was claimed after it did
    expect(opened).toBeDefined();
    const openedAt = await opened!;
    expect((await readBreaker(env.deps)).state).toBe('OPEN');
    const claimed = (await listAudit(env.deps, 'breaker-run')).filter((e) => e.type === 'BatchClaimed');
    expect(claimed.filter((e) => e.at > openedAt)).toEqual([]);
    expect(claimed.length).toBeGreaterThanOrEqual(OPEN_AFTER_CLAIMS);
    // AND the batches in flight finished (none left IN_PROGRESS); the rest were left unclaimed, for resume
    const batches = await listBatches(env.deps, 'breaker-run');
    expect(batches.map((b) => b.status)).toEqual(batches.map(() => 'DONE'));
    expect(batches.length).toBe(claimed.length);
    expect(batches.length).toBeLessThan(30);
    // AND never more workers ran at once than MaxConcurrency
    expect(maxWorkers).toBeGreaterThan(0);
    expect(maxWorkers).toBeLessThanOrEqual(2);
    // AND the run did not succeed (what it ends as is the on-failure policy's: here "stop")
    expect(outcome.status).not.toBe('SUCCEEDED');
    process.stdout.write(`breaker opened at ${openedAt} after ${claims} claims; ${batches.length} of 30 batches claimed, all DONE; run ${outcome.status} (${outcome.error ?? ''})\n`);
  });
});
