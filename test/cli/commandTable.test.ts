import { spawnSync } from 'node:child_process';
import { COMMANDS } from '../../cli/commands';
import { localCloudDir, runBackfill } from './support/cliHarness';

describe('the backfill command table', () => {
  it('lists every command of the table in --help', async () => {
    // WHEN the help is asked for
    const { code, stdout } = await runBackfill(['--help']);
    // THEN it exits 0 and names every top-level command
    expect(code).toBe(0);
    for (const name of new Set(COMMANDS.map((c) => c.name.split(' ')[0]!))) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('refuses an unknown command with exit 2', async () => {
    const { code, stderr } = await runBackfill(['sart', '--local']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'sart'/);
  });

  it('refuses start without --spec with exit 2, naming the option', async () => {
    const { code, stderr } = await runBackfill(['start', '--local']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--spec <file>/);
  });

  it('asks where to act when neither --local nor --stack is given', async () => {
    const { code, stderr } = await runBackfill(['list']);
    expect(code).toBe(2);
    expect(stderr).toBe('error: say where to act: --local [DIR] (a `backfill local up` on this machine, default .backfill-local) or --stack NAME (a deployed stack; with --region, --profile)');
  });

  it('takes a bare --local before the command as the default data dir, not as DIR', async () => {
    const { code, stderr } = await runBackfill(['--local', 'list'], { cwd: '/nonexistent-dir' });
    expect(code).toBe(3);
    expect(stderr).toBe('error: the local cloud of .backfill-local is not running (no /nonexistent-dir/.backfill-local/endpoints.json); start it with `backfill local up --data-dir .backfill-local` in another terminal');
  });

  it('refuses --local and --stack together', async () => {
    const { code, stderr } = await runBackfill(['list', '--local', '--stack', 'Backfill']);
    expect(code).toBe(2);
    expect(stderr).toBe('error: give --local [DIR] or --stack NAME, not both');
  });

  it('refuses --region with --local: the local cloud has its own', async () => {
    const { code, stderr } = await runBackfill(['list', '--local', 'x', '--region', 'eu-west-1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--region and --profile apply to --stack/);
  });

  it('requires --reason for a rollback before reaching any target', async () => {
    // GIVEN a data dir with no local cloud: reaching the target would fail with exit 3
    const { code, stderr } = await runBackfill(['rollback', 'r1', '--local', '/nonexistent-dir']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/say why with --reason/);
  });

  it('says the local cloud is not running when DIR has no endpoints.json (exit 3)', async () => {
    const { code, stderr } = await runBackfill(['status', 'r1', '--local', '/nonexistent-dir']);
    expect(code).toBe(3);
    expect(stderr).toBe('error: the local cloud of /nonexistent-dir is not running (no /nonexistent-dir/endpoints.json); start it with `backfill local up --data-dir /nonexistent-dir` in another terminal');
  });

  it('says the local cloud is not running when the process that wrote endpoints.json is gone', async () => {
    // GIVEN an endpoints.json whose pid is a process that has ended
    const gone = spawnSync('true').pid;
    const dir = localCloudDir({ dynamodb: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1', stepfunctions: 'http://127.0.0.1:1' }, gone);
    const { code, stderr } = await runBackfill(['list', '--local', dir]);
    expect(code).toBe(3);
    expect(stderr).toBe(`error: the local cloud of ${dir} is not running (its process ${gone} is gone); start it with \`backfill local up --data-dir ${dir}\` in another terminal`);
  });

  it('says nothing answers when the local cloud stopped without removing endpoints.json (connection refused)', async () => {
    const dir = localCloudDir({ dynamodb: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1', stepfunctions: 'http://127.0.0.1:1' });
    const { code, stderr } = await runBackfill(['list', '--local', dir]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^error: nothing answers at the target's endpoint \(ECONNREFUSED\): is `backfill local up` still running\?/);
  });

  it('refuses a --name that is no execution name', async () => {
    const { code, stderr } = await runBackfill(['start', '--spec', 'examples/orders-spec.json', '--name', 'a:b', '--local']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--name must be 1–80 of A-Z a-z 0-9 _ -.*got "a:b"/);
  });

  it('refuses an invalid spec with exit 2 naming the field, before reaching any target', async () => {
    const { code, stderr } = await runBackfill(['start', '--spec', 'package.json', '--local', '/nonexistent-dir']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/spec\.jobName/);
  });

  it('refuses an unknown --status', async () => {
    const { code, stderr } = await runBackfill(['list', '--status', 'DONE', '--local', '/nonexistent-dir']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--status must be one of RUNNING, .*got "DONE"/);
  });
});
