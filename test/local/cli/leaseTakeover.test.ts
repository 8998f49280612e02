import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimBatch, getBatch } from '../../../lambdas/lib/ledger';
import { ensureDemoSeeded } from '../../../local/runtime/ensureDemoSeeded';
import { startLocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { runBackfillLocally } from '../../../local/runtime/runBackfillLocally';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { runCli, startCli } from './runCli';

jest.setTimeout(240_000);

const RUN_ID = 'lease-takeover';
const RECORDS = 1_000;
// Batches of 100 (b0000000, b0000001, …); the run is stopped after the first.
const SPEC = { ...EXAMPLE_SPEC, batchSize: 100, maxConcurrency: 1, leaseSeconds: 600 };

describe('a resume after a process that died holding a 600 s batch lease', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-leases-'));
  const dataDir = join(work, 'data');
  const specFile = join(work, 'spec.json');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('takes the lease over at once instead of waiting it out, says so, and finishes', async () => {
    // GIVEN a data dir whose run a process started, then died holding a live 600 s lease on b0000009
    writeFileSync(specFile, JSON.stringify(SPEC));
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const env = await startLocalEnvironment({ dataDir, codeVersion: 'test' });
    try {
      await ensureDemoSeeded(env.clients, RECORDS);
      const stop = new AbortController();
      const first = await runBackfillLocally({ env, input: SPEC, runId: RUN_ID, signal: stop.signal, onEvent: (e) => e.kind === 'child-succeeded' && stop.abort() });
      expect(first.status).toBe('ABORTED');
      expect(await getBatch(env.deps, RUN_ID, 'b0000009')).toBeUndefined();
      const claim = await claimBatch(env.deps, { runId: RUN_ID, batchId: 'b0000009', owner: 'the-process-that-died', leaseSeconds: 600 });
      expect(claim.kind).toBe('claimed');
    } finally {
      await env.close(); // the process is gone: the OS releases its data dir lock
    }

    // WHEN the same command runs again (killed after 90 s: waiting out the lease would take 600 s)
    const cli = startCli(['--data-dir', dataDir, '--records', String(RECORDS), '--spec', specFile, '--run-id', RUN_ID, '--json']);
    const guard = setTimeout(() => cli.child.kill('SIGKILL'), 90_000);
    const resumed = await cli.done;
    clearTimeout(guard);

    // THEN it says it took the dead process's lease over, and the run finishes
    // On a failure the message carries the run's stderr (a matched object would hide it).
    expect(`exit ${resumed.code}${resumed.code === 0 ? '' : `: ${resumed.stderr}`}`).toBe('exit 0');
    expect(resumed.stderr).toMatch(
      new RegExp(`took over 1 batch lease of run ${RUN_ID} \\(b0000009\\) held by an earlier process that is gone, instead of waiting until \\d\\d:\\d\\d:\\d\\d UTC`),
    );
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'SUCCEEDED', records: RECORDS });
    // AND the takeover is in the audit trail, with its reason
    const ledger = (await runCli(['--data-dir', dataDir, '--dump', 'backfill-ledger'])).stdout;
    expect(ledger).toMatch(/"batchId":"b0000009".*"detail":\{[^}]*"owner":"the-process-that-died"[^}]*"reason":"the process that held them is gone[^}]*\}.*"type":"LeaseReleased"/);
  });
});
