import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './support/cliHarness';

describe('bin/backfill (the package bin)', () => {
  it('runs the CLI in its own process: exit code and one-line error as documented', () => {
    // WHEN the bin is run as npx runs it, on a data dir with no local cloud
    const result = spawnSync(join(REPO, 'bin', 'backfill'), ['list', '--local', '/nonexistent-dir'], { cwd: REPO, encoding: 'utf8' });
    // THEN it exits 3 with one line saying what to do, and nothing on stdout
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error: the local cloud of /nonexistent-dir is not running (no /nonexistent-dir/endpoints.json); start it with `backfill local up --data-dir /nonexistent-dir` in another terminal\n');
  });

  it('prints a stack trace only with --debug', () => {
    const plain = spawnSync(join(REPO, 'bin', 'backfill'), ['list', '--local', '/nonexistent-dir'], { cwd: REPO, encoding: 'utf8' });
    const debug = spawnSync(join(REPO, 'bin', 'backfill'), ['--debug', 'list', '--local', '/nonexistent-dir'], { cwd: REPO, encoding: 'utf8' });
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(debug.stderr).toMatch(/^LocalCloudNotRunningError: .*\n\s+at /);
    expect(debug.status).toBe(3);
  });
});
