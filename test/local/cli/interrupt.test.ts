import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { runCli, startCli, waitUntil } from './runCli';

jest.setTimeout(180_000);

describe('npm start stopped with Ctrl-C (SIGINT)', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-sigint-'));
  const specFile = join(work, 'spec.json');
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  beforeAll(() => {
    // Small batches, one at a time: the map is surely still running when the signal lands.
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, batchSize: 100, maxConcurrency: 1 }));
  });

  async function interruptedRun(args: readonly string[]) {
    const cli = startCli(['--records', '3000', '--spec', specFile, ...args]);
    await waitUntil(() => /batches \d+\/\d+/.test(cli.stderrSoFar()), 'the map to start', cli.done);
    cli.child.kill('SIGINT');
    return cli.done;
  }

  it('says the operator stopped it and that the same command resumes it; the same command then does', async () => {
    // GIVEN a run with a data dir, in the middle of its map
    const dir = join(work, 'kept');
    // WHEN the operator presses Ctrl-C
    const stopped = await interruptedRun(['--data-dir', dir]);
    // THEN it exits 130 saying who stopped it and how to resume (not an empty cause)
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(new RegExp(`Run \\S+ was stopped by the operator \\(SIGINT\\)\\. Finished batches are kept in ${dir}: run the same command again to resume it\\.\\n$`));
    // AND the same command resumes it to the end
    const resumed = await runCli(['--data-dir', dir, '--records', '3000', '--spec', specFile, '--json']);
    expect({ code: resumed.code, resumed: /resuming run/.test(resumed.stderr) }).toEqual({ code: 0, resumed: true });
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'SUCCEEDED', records: 3000 });
  });

  it('without a data dir says that nothing is kept', async () => {
    const stopped = await interruptedRun([]);
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/was stopped by the operator \(SIGINT\)\. Without --data-dir nothing is kept: run it again with --data-dir DIR to be able to stop and resume it\.\n$/);
  });

  it('a second Ctrl-C stops at once but still says the operator stopped it and how to resume; the same command then does', async () => {
    // GIVEN a run with a data dir and large batches, in the middle of its map
    const dir = join(work, 'twice');
    const bigBatches = join(work, 'big-batches.json');
    writeFileSync(bigBatches, JSON.stringify({ ...EXAMPLE_SPEC, batchSize: 1000, maxConcurrency: 1 }));
    const cli = startCli(['--records', '3000', '--spec', bigBatches, '--data-dir', dir]);
    await waitUntil(() => /batches \d+\/\d+/.test(cli.stderrSoFar()), 'the map to start', cli.done);
    // WHEN the operator presses Ctrl-C twice, 50 ms apart
    cli.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    cli.child.kill('SIGINT');
    const stopped = await cli.done;
    // THEN it exits 130 (not killed by the signal) saying who stopped it and how to resume
    expect({ code: stopped.code, signal: stopped.signal }).toEqual({ code: 130, signal: null });
    expect(stopped.stderr).toMatch(new RegExp(`Run \\S+ was stopped by the operator \\(SIGINT\\)\\. Finished batches are kept in ${dir}: run the same command again to resume it\\.`));
    // AND the same command resumes it to the end
    const resumed = await runCli(['--records', '3000', '--spec', bigBatches, '--data-dir', dir, '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'SUCCEEDED', records: 3000 });
  });

  it('stopping a rollback says so and that the same command resumes it; the same command then does', async () => {
    // GIVEN a finished run kept in a data dir
    const dir = join(work, 'rollback');
    const run = await runCli(['--data-dir', dir, '--records', '3000', '--spec', specFile, '--json']);
    expect(run.code).toBe(0);
    const { runId } = JSON.parse(run.stdout) as { runId: string };
    // WHEN its rollback is stopped with Ctrl-C once it started restoring
    const rollback = startCli(['--data-dir', dir, '--rollback', runId]);
    await waitUntil(() => /batches restored \d+\/\d+/.test(rollback.stderrSoFar()), 'the rollback map to start', rollback.done);
    rollback.child.kill('SIGINT');
    const stopped = await rollback.done;
    // THEN it exits 130 naming who stopped it and how to resume
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`The rollback of run ${runId} was stopped by the operator (SIGINT). Finished batches are kept in ${dir}: run the same command again to resume it.`);
    // AND the same command finishes the rollback
    const resumed = await runCli(['--data-dir', dir, '--rollback', runId, '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'ROLLED_BACK' });
  });
});
