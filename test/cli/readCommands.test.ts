import { LOCAL_NAMES } from '../../infra/definitions';
import { dumpTable } from '../../local/runtime/dumpTable';
import type { LocalEnvironment } from '../../local/runtime/LocalEnvironment';
import { exampleSpec, reportOf, run, seededEnvironment } from '../local/runtime/localRun';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { localCloudDir, runBackfill } from './support/cliHarness';

// GIVEN a finished demo run kept on real emulators, and a data dir whose endpoints.json names them
// (Step Functions is not needed by these commands: they read the ledger and the artifacts only).
describe('the read commands against the emulators', () => {
  let env: LocalEnvironment;
  let dir: string;
  const runId = 'cli-read-1';
  let before: Map<unknown, Record<string, unknown>>;
  beforeAll(async () => {
    ({ env } = await seededEnvironment(600));
    before = new Map(
      (await dumpTable(env.clients.ddb, LOCAL_NAMES.demoTargetTable))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .map((item) => [item.orderId, item]),
    );
    const outcome = await run(env, exampleSpec({ batchSize: 200 }), runId);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(reportOf(outcome).counts.written).toBeGreaterThan(0);
    dir = localCloudDir({ dynamodb: env.dynamodbEndpoint, s3: env.s3Endpoint, stepfunctions: 'http://127.0.0.1:1' });
  });
  afterAll(() => env.close());

  it('list shows the run, and --status filters', async () => {
    const all = await runBackfill(['list', '--local', dir, '--json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual([expect.objectContaining({ runId, status: 'SUCCEEDED', transform: 'order-summary@2' })]);
    const failed = await runBackfill(['list', '--status', 'FAILED', '--local', dir]);
    expect(failed).toMatchObject({ code: 0, stdout: '', stderr: 'no run is FAILED' });
    const text = await runBackfill(['list', '--local', dir]);
    expect(text.stdout).toMatch(new RegExp(`^\\S+Z  SUCCEEDED\\s+${runId}  order-summary@2  unknown \\(started without the backfill CLI\\)$`));
  });

  it('report prints the run report from S3; --json gives it as JSON', async () => {
    const json = await runBackfill(['report', runId, '--local', dir, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { runId: string; status: string; records: number; reportKey: string };
    expect(report).toMatchObject({ runId, status: 'SUCCEEDED', records: 600, reportKey: `reports/${runId}/report.json` });
    const text = await runBackfill(['report', runId, '--local', dir]);
    expect(text.stdout.split('\n')[0]).toBe(`Run ${runId}: SUCCEEDED`);
    expect(text.stdout).toContain(`report           s3://backfill-artifacts/reports/${runId}/report.json`);
  });

  it('report and audit of an unknown run exit 2 saying how to find runs', async () => {
    for (const command of ['report', 'audit']) {
      const result = await runBackfill([command, 'no-such-run', '--local', dir]);
      expect(result).toMatchObject({ code: 2, stderr: `error: no run no-such-run in the ledger of the local cloud of ${dir}; \`backfill list\` shows the runs there` });
    }
  });

  it('audit lists the trail in time order', async () => {
    const json = await runBackfill(['audit', runId, '--local', dir, '--json']);
    expect(json.code).toBe(0);
    const events = JSON.parse(json.stdout) as Array<{ type: string; at: string }>;
    expect(events[0]!.type).toBe('RunStarted');
    expect(events[events.length - 1]!.type).toBe('RunSucceeded');
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort());
    const text = await runBackfill(['audit', runId, '--local', dir]);
    expect(text.stdout.split('\n')).toHaveLength(events.length);
  });

  it('lineage names the run, batch, transform, code version and the pre-image from the snapshot', async () => {
    // GIVEN an item the run wrote: the first line of the target dump with this run's stamp
    const written = (await dumpTable(env.clients.ddb, LOCAL_NAMES.demoTargetTable))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((item) => item.backfillRunId === runId)!;
    const result = await runBackfill(['lineage', '--table', LOCAL_NAMES.demoTargetTable, '--key', `orderId=${String(written.orderId)}`, '--local', dir, '--json']);
    expect(result.code).toBe(0);
    const lineage = JSON.parse(result.stdout) as { writtenBy: { runId: string; batchId: string; transform: string; codeVersion: string; at: string; preImage: Record<string, unknown> | null } };
    expect(lineage.writtenBy).toMatchObject({ runId, batchId: written.backfillBatchId, transform: 'order-summary@2', codeVersion: 'test' });
    // THEN the pre-image is exactly the item as it was before the run (null: the run created it)
    expect(lineage.writtenBy.preImage).toEqual(before.get(written.orderId) ?? null);
    expect(lineage.writtenBy.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const text = await runBackfill(['lineage', '--table', LOCAL_NAMES.demoTargetTable, '--key', `orderId=${String(written.orderId)}`, '--local', dir]);
    expect(text.stdout.split('\n')[0]).toBe(`${LOCAL_NAMES.demoTargetTable} {"orderId":"${String(written.orderId)}"}: written by run ${runId}`);
  });

  it('lineage refuses a key attribute the table does not have, naming its key', async () => {
    const result = await runBackfill(['lineage', '--table', LOCAL_NAMES.demoTargetTable, '--key', 'id=1', '--local', dir]);
    expect(result).toMatchObject({ code: 2, stderr: `error: --key id is not a key attribute of ${LOCAL_NAMES.demoTargetTable} (its key: orderId)` });
  });

  it('lineage of an item no run wrote says so', async () => {
    // GIVEN an item without a stamp
    const unstamped = (await dumpTable(env.clients.ddb, LOCAL_NAMES.demoTargetTable))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((item) => item.backfillRunId === undefined);
    expect(unstamped).toBeDefined();
    const { Item } = await env.clients.ddb.send(new GetCommand({ TableName: LOCAL_NAMES.demoTargetTable, Key: { orderId: unstamped!.orderId } }));
    expect(Item?.backfillRunId).toBeUndefined();
    const result = await runBackfill(['lineage', '--table', LOCAL_NAMES.demoTargetTable, '--key', `orderId=${String(unstamped!.orderId)}`, '--local', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/: not written by a backfill run, or restored by a rollback \(it carries no backfillRunId stamp\)$/);
  });

  it('dump prints a table as the sorted canonical JSONL npm start -- --dump prints', async () => {
    const result = await runBackfill(['dump', LOCAL_NAMES.demoTargetTable, '--local', dir]);
    expect(result.code).toBe(0);
    expect(`${result.stdout}\n`).toBe(await dumpTable(env.clients.ddb, LOCAL_NAMES.demoTargetTable));
    const missing = await runBackfill(['dump', 'nope', '--local', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: no table nope in the local cloud of .* \(it has: .*backfill-ledger.*\); give one of those$/);
  });

  it('dump is local only: --stack is refused', async () => {
    const result = await runBackfill(['dump', 'x', '--stack', 'Backfill']);
    expect(result).toMatchObject({ code: 2, stderr: 'error: dump reads the local cloud only (--local [DIR]); on AWS use the AWS console or CLI' });
  });

  it('takes the target options before the command too (as local up prints it)', async () => {
    const result = await runBackfill(['--local', dir, 'list', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ runId })]);
  });
});
