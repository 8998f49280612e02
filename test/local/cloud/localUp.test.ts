import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointsFile } from '../../../local/cloud/endpoints';
import { awsCli } from '../../support/awsCli';
import { waitFor } from '../../support';
import { endpointsOf, startLocalUp, type LocalUpProcess } from './localUpProcess';

const SPEC = join(__dirname, '..', '..', '..', 'examples', 'orders-spec.json');
const RUN = 'orders-fix';

/** `aws <service> ...` against the local cloud's endpoint for that service; the parsed JSON answer. */
async function aws(endpoints: EndpointsFile, service: 'stepfunctions' | 'dynamodb' | 's3', args: readonly string[]): Promise<unknown> {
  const result = await awsCli([service, ...args, '--endpoint-url', endpoints[service], '--region', endpoints.region]);
  if (result.code !== 0) throw new Error(`aws ${service} ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout.trim() === '' ? undefined : (JSON.parse(result.stdout) as unknown);
}

/** `describe-execution` until it closed; SUCCEEDED returns it, any other end fails at once. */
async function succeeded(endpoints: EndpointsFile, executionArn: string): Promise<{ status: string; output: string; startDate: number; stopDate: number }> {
  return waitFor(
    async () => {
      const described = (await aws(endpoints, 'stepfunctions', ['describe-execution', '--execution-arn', executionArn])) as { status: string; output: string; error?: string; cause?: string; startDate: number; stopDate: number };
      if (described.status === 'RUNNING') return false;
      if (described.status !== 'SUCCEEDED') throw new Error(`${executionArn} ended ${described.status}: ${described.error} ${described.cause}`);
      return described;
    },
    { describe: `${executionArn} to succeed`, timeoutMs: 180_000, intervalMs: 500 },
  );
}

/** The report fields that an interrupted run must reproduce (not its times or its number of starts). */
const outcomeOf = (output: string) => {
  const { status, records, counts, batches, targetChecksum, planHash, specHash } = JSON.parse(output) as Record<string, unknown>;
  return { status, records, counts, batches, targetChecksum, planHash, specHash };
};

describe('backfill local up, driven by the AWS CLI', () => {
  const dirs: string[] = [];
  const processes: LocalUpProcess[] = [];
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'backfill-local-up-'));
    dirs.push(dir);
    return dir;
  };
  const up = (args: readonly string[]) => {
    const started = startLocalUp(args);
    processes.push(started);
    return started;
  };
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.done));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  let uninterrupted: ReturnType<typeof outcomeOf> | undefined;

  it('runs the example spec to SUCCEEDED through the Step Functions API, with the target and artifacts visible to DynamoDB and S3 commands', async () => {
    // GIVEN `local up` on a new data dir, on three ephemeral ports
    const dataDir = newDataDir();
    const cloud = up(['--data-dir', dataDir, '--port', '0']);
    const endpoints = await endpointsOf(cloud, dataDir);

    // THEN the AWS CLI lists the stack's two state machines
    const machines = (await aws(endpoints, 'stepfunctions', ['list-state-machines'])) as { stateMachines: Array<{ name: string; stateMachineArn: string }> };
    expect(machines.stateMachines.map((m) => [m.name, m.stateMachineArn])).toEqual([
      ['Backfill', endpoints.resources.backfillStateMachineArn],
      ['Rollback', endpoints.resources.rollbackStateMachineArn],
    ]);

    // WHEN it starts the example spec and polls it
    const { executionArn } = (await aws(endpoints, 'stepfunctions', ['start-execution', '--state-machine-arn', endpoints.resources.backfillStateMachineArn, '--name', RUN, '--input', `file://${SPEC}`])) as { executionArn: string };
    const done = await succeeded(endpoints, executionArn);
    uninterrupted = outcomeOf(done.output);
    expect(uninterrupted).toMatchObject({ status: 'SUCCEEDED', records: 20_000 });

    // THEN the history runs from ExecutionStarted to ExecutionSucceeded through the workflow's states
    const history = (await aws(endpoints, 'stepfunctions', ['get-execution-history', '--execution-arn', executionArn])) as { events: Array<{ type: string; stateEnteredEventDetails?: { name: string } }> };
    const types = history.events.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(history.events.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails!.name)).toEqual(expect.arrayContaining(['ValidateSpec', 'StartRun', 'Plan', 'Finalize']));

    // AND the target table holds the seeded items plus the created ones, as the demo marker says
    const marker = JSON.parse(
      (await awsCli(['s3', 'cp', `s3://${endpoints.resources.sourceBucket}/demo/seeded.json`, '-', '--endpoint-url', endpoints.s3, '--region', endpoints.region])).stdout,
    ) as { stats: { targetItems: number; expected: { created: number } } };
    const scan = (await aws(endpoints, 'dynamodb', ['scan', '--table-name', 'order-summaries', '--select', 'COUNT'])) as { Count: number };
    expect(scan.Count).toBe(marker.stats.targetItems + marker.stats.expected.created);

    // AND the artifacts bucket holds the run's areas
    const listing = await awsCli(['s3', 'ls', `s3://${endpoints.resources.artifactsBucket}/`, '--endpoint-url', endpoints.s3, '--region', endpoints.region]);
    expect({ code: listing.code, prefixes: listing.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort() }).toEqual({
      code: 0,
      prefixes: expect.arrayContaining(['PRE manifests/', 'PRE reports/', 'PRE snapshots/']),
    });

    // WHEN a second `local up` starts on the same data dir
    const second = await up(['--data-dir', dataDir, '--port', '0']).done;
    // THEN it is refused, naming the process that holds it
    expect({ code: second.code, stderr: second.stderr }).toEqual({
      code: 3,
      stderr: expect.stringContaining(`error: the data dir ${dataDir} is in use by another process (pid ${cloud.child.pid}, since `),
    });

    // WHEN the first gets SIGTERM
    cloud.child.kill('SIGTERM');
    const stopped = await cloud.done;
    // THEN it exits 0 and no longer advertises endpoints
    expect({ code: stopped.code, signal: stopped.signal }).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dataDir, 'endpoints.json'))).toBe(false);
  }, 300_000);

  it('starts an execution killed with kill -9 again at the next local up, and it SUCCEEDS with the same report', async () => {
    // GIVEN an execution of the example spec inside its distributed Map
    const dataDir = newDataDir();
    const first = up(['--data-dir', dataDir, '--port', '0']);
    const before = await endpointsOf(first, dataDir);
    const { executionArn } = (await aws(before, 'stepfunctions', ['start-execution', '--state-machine-arn', before.resources.backfillStateMachineArn, '--name', RUN, '--input', `file://${SPEC}`])) as { executionArn: string };
    // (mid-run: the ledger, read with the AWS CLI, holds a finished batch while the execution still runs)
    await waitFor(
      async () => {
        const described = (await aws(before, 'stepfunctions', ['describe-execution', '--execution-arn', executionArn])) as { status: string };
        if (described.status !== 'RUNNING') throw new Error(`the execution ended ${described.status} before it could be killed mid-run`);
        const doneBatches = (await aws(before, 'dynamodb', [
          'query', '--table-name', before.resources.ledgerTable, '--select', 'COUNT',
          '--key-condition-expression', 'pk = :pk AND begins_with(sk, :batch)', '--filter-expression', '#status = :done',
          '--expression-attribute-names', '{"#status":"status"}',
          '--expression-attribute-values', JSON.stringify({ ':pk': { S: `RUN#${RUN}` }, ':batch': { S: 'BATCH#' }, ':done': { S: 'DONE' } }),
        ])) as { Count: number };
        return doneBatches.Count > 0;
      },
      { describe: 'a first batch to finish', timeoutMs: 120_000, intervalMs: 100 },
    );
    // WHEN local up is killed with SIGKILL, then started again on the same data dir
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const second = up(['--data-dir', dataDir, '--port', '0']);
    const after = await endpointsOf(second, dataDir);
    // THEN the same execution runs again from its first state, says so, and succeeds with the report of an uninterrupted run
    const done = await succeeded(after, executionArn);
    const history = (await aws(after, 'stepfunctions', ['get-execution-history', '--execution-arn', executionArn])) as { events: Array<{ type: string }> };
    expect(history.events.map((e) => e.type)).toContain('ExecutionRedriven');
    expect(outcomeOf(done.output)).toEqual(uninterrupted);
    second.child.kill('SIGTERM');
    expect((await second.done).code).toBe(0);
  }, 300_000);
});
