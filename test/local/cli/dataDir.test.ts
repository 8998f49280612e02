import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from './runCli';

jest.setTimeout(120_000);

/** Runs the CLI, killing it after `ms` (a hang fails the test instead of stalling the suite). */
async function runWithin(args: readonly string[], ms: number) {
  const cli = startCli(args);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), ms);
  const result = await cli.done;
  clearTimeout(timer);
  return result;
}

describe('npm start -- --data-dir DIR: the data dir', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-datadir-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('lets one of two processes started together on a fresh data dir run, and tells the other it is in use', async () => {
    // GIVEN a data dir that does not exist yet
    const dir = join(work, 'fresh');
    // WHEN two processes start on it at the same moment
    // (seeding 5,000 records takes seconds, so the two surely overlap)
    const [a, b] = await Promise.all([runCli(['--data-dir', dir, '--records', '5000', '--seed-only']), runCli(['--data-dir', dir, '--records', '5000', '--seed-only'])]);
    // THEN one seeds it, and the other gets the lock message (no stack trace, no "Database is closed")
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect({ winner: winner.code, loser: loser.code, stderr: loser.stderr }).toMatchObject({ winner: 0, loser: 3 });
    expect(loser.stderr).toMatch(new RegExp(`^error: the data dir ${dir} is in use by another process \\(pid \\d+, since [0-9T:.Z-]+\\); wait for it to finish or stop it, or give another --data-dir\\n$`));
    // AND the data dir works for the next process
    expect((await runCli(['--data-dir', dir, '--records', '5000', '--seed-only'])).code).toBe(0);
  });

  it('refuses a data dir that cannot be created at once, naming the path and the OS error', async () => {
    // GIVEN a path that can never be a directory (Node's recursive mkdir loops forever on /proc)
    const underProc = '/proc/backfill-no-such-dir/data';
    const underFile = join(work, 'a-file');
    writeFileSync(underFile, 'not a directory');
    // WHEN the CLI is given them
    const results = [await runWithin(['--data-dir', underProc, '--records', '10'], 20_000), await runWithin(['--data-dir', join(underFile, 'data'), '--records', '10'], 20_000)];
    // THEN each ends at once with exit 2 and a message naming the path and the OS error
    expect(results.map((r) => r.code)).toEqual([2, 2]);
    expect(results[0]!.stderr).toBe(`error: cannot use ${underProc} as the data dir: ENOENT: no such file or directory, mkdir '/proc/backfill-no-such-dir'; give a --data-dir in a writable place\n`);
    expect(results[1]!.stderr).toMatch(new RegExp(`^error: cannot use ${underFile}/data as the data dir: ENOTDIR: not a directory`));
  });

  it.each([
    ['--dump', ['--dump', 'order-summaries']],
    ['--rollback', ['--rollback', 'some-run']],
    ['--rehearse-rollback', ['--rehearse-rollback', 'some-run']],
  ])('%s on a data dir that does not exist is an error naming the path (exit 2), and creates nothing', async (option, args) => {
    const dir = join(work, `missing${option}`);
    const result = await runCli(['--data-dir', dir, ...args]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(`error: ${option} reads the state an earlier run kept, but the data dir ${dir} does not exist; give the --data-dir of that run\n`);
    expect(existsSync(dir)).toBe(false);
  });

  it('--dump on an existing folder that holds no kept state is an error too, and leaves the folder as it was', async () => {
    const dir = join(work, 'unrelated');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(join(work, 'placeholder'), '');
    const result = await runCli(['--data-dir', work, '--dump', 'order-summaries']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/holds none \(no dynamodb\/ folder in it\)/);
    expect(readdirSync(work).sort()).not.toContain('dynamodb');
  });

  it('--seed-only without --data-dir is refused: it would keep nothing', async () => {
    const result = await runCli(['--records', '10', '--seed-only']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --seed-only without --data-dir would seed an in-memory dataset and discard it at exit: give --data-dir DIR to keep it\n');
  });

  it('--dump piped into a reader that stops early (| head) ends quietly', async () => {
    // GIVEN a data dir with a table too large for one pipe buffer
    const dir = join(work, 'dump');
    expect((await runCli(['--data-dir', dir, '--records', '5000', '--seed-only'])).code).toBe(0);
    // WHEN its dump is read by `head -1`
    const cli = startCli(['--data-dir', dir, '--dump', 'order-summaries']);
    let firstLine = '';
    await new Promise<void>((resolve) => {
      cli.child.stdout!.once('data', (chunk: Buffer) => {
        firstLine = chunk.toString().split('\n')[0]!;
        cli.child.stdout!.destroy();
        resolve();
      });
    });
    const result = await cli.done;
    // THEN it exits 0 without an EPIPE trace
    expect(firstLine).toMatch(/^\{"/);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('a progress reader that stops early (2>&1 | head -2) does not stop the run: it finishes SUCCEEDED', async () => {
    // GIVEN a run whose stderr (notes, progress) is read by a reader that closes it after its first chunk
    const dir = join(work, 'closed-stderr');
    const cli = startCli(['--data-dir', dir, '--records', '2000', '--json']);
    await new Promise<void>((resolve) => cli.child.stderr!.once('data', () => (cli.child.stderr!.destroy(), resolve())));
    // WHEN it goes on writing progress into the closed pipe
    const result = await cli.done;
    // THEN it finishes the run and prints its report on stdout
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'SUCCEEDED', records: 2000 });
    // AND the ledger says SUCCEEDED too (the same command has nothing to do)
    expect((await runCli(['--data-dir', dir, '--records', '2000'])).stdout).toMatch(/already SUCCEEDED/);
  });
});
