import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_NAMES } from '../../../infra/definitions';
import { describeLocalCloud } from '../../../local/cloud/describeLocalCloud';
import { ENDPOINTS_FILE, EndpointsFileSchema } from '../../../local/cloud/endpoints';
import { main as localCloudMain } from '../../../local/cloud/main';
import { startLocalCloud } from '../../../local/cloud/startLocalCloud';
import { UsageError } from '../../../local/cli/errors';
import { parseCliOptions } from '../../../local/cli/options';
import { parseFaultSpec } from '../../../local/faults';
import { runBackfill } from '../../cli/support/cliHarness';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

describe('--inject-faults on npm start', () => {
  it('parses the fault spec into the options', () => {
    expect(parseCliOptions(['--inject-faults', 'throttle=0.5']).faults).toEqual({ throttle: 0.5, errors: 0, latencyMs: 0, seed: 12 });
    expect(parseCliOptions([]).faults).toBeUndefined();
  });

  it('refuses bad text as a usage error naming the problem', () => {
    const parse = () => parseCliOptions(['--inject-faults', 'throttle=half']);
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow('--inject-faults "throttle=half" is not a fault spec: throttle must be a share of requests from 0 to 1 (e.g. 0.2), got "half"');
  });

  it('is refused with an action it would not apply to', () => {
    expect(() => parseCliOptions(['--inject-faults', 'throttle=0.5', '--seed-only', '--data-dir', '/tmp/x'])).toThrow('--inject-faults has no effect with --seed-only');
  });
});

describe('--inject-faults on local up', () => {
  it('backfill local up refuses bad text with exit 2 and the problem, before starting anything', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'backfill-faults-flag-'));
    try {
      const run = await runBackfill(['local', 'up', '--data-dir', dataDir, '--inject-faults', 'latency=50']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('latency must be a duration with its unit from 0ms to 60s (e.g. 50ms or 1.5s), got "50"');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('local/cloud/main.ts up refuses bad text with exit 2', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((text) => (written.push(String(text)), true));
    try {
      expect(await localCloudMain(['up', '--inject-faults', 'colour=red'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toContain('"colour" is not a fault (known: throttle, errors, latency, seed)');
  });
});

describe('startLocalCloud with faults', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'backfill-faults-cloud-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("routes the handlers' DynamoDB requests through the proxy, names it in endpoints.json and prints it; the ledger and set-up clients stay direct", async () => {
    // GIVEN a local cloud that throttles every target request
    const cloud = await startLocalCloud({ dataDir, codeVersion: 'test', demo: false, faults: parseFaultSpec('throttle=1') });
    try {
      const proxy = cloud.env.faultProxy!;
      // THEN endpoints.json keeps the real DynamoDB endpoint and names the proxy
      const written = EndpointsFileSchema.parse(JSON.parse(readFileSync(join(dataDir, ENDPOINTS_FILE), 'utf8')));
      expect(written).toMatchObject({ dynamodb: cloud.env.dynamodbEndpoint, dynamodbFaults: proxy.endpoint });
      expect(written.dynamodbFaults).not.toBe(written.dynamodb);
      // AND local up prints it with the faults it injects
      expect(describeLocalCloud(cloud, dataDir)).toContainEqual(
        `  DynamoDB faults ${proxy.endpoint}  the handlers' DynamoDB requests go through it: throttle=1 (seed 12) on the requests naming a target table; the ledger's pass untouched`,
      );
      // AND a handler's target write is throttled, its ledger write is not
      const item = { orderId: 'faults-test' };
      await expect(cloud.env.deps.clients.ddb.send(new PutCommand({ TableName: LOCAL_NAMES.demoTargetTable, Item: item }))).rejects.toThrow(ProvisionedThroughputExceededException);
      await cloud.env.deps.clients.ddb.send(new PutCommand({ TableName: LOCAL_NAMES.ledgerTable, Item: { pk: 'FAULTS#test', sk: 'x' } }));
      const throughProxy = proxy.counts();
      expect(throughProxy.throttled).toBeGreaterThanOrEqual(1);
      expect(throughProxy.spared).toBeGreaterThanOrEqual(1);
      // AND the set-up clients write the target directly, not through the proxy
      await cloud.env.clients.ddb.send(new PutCommand({ TableName: LOCAL_NAMES.demoTargetTable, Item: item }));
      expect((await cloud.env.clients.ddb.send(new GetCommand({ TableName: LOCAL_NAMES.ledgerTable, Key: { pk: 'FAULTS#test', sk: 'x' } }))).Item).toBeDefined();
      expect(proxy.counts()).toEqual(throughProxy);
    } finally {
      await cloud.close();
    }
  }, 60_000);

  it('starts no proxy without faults: the handlers talk to DynamoDB directly', async () => {
    const cloud = await startLocalCloud({ codeVersion: 'test', demo: false });
    try {
      expect(cloud.env.faultProxy).toBeUndefined();
      expect(cloud.endpoints.dynamodbFaults).toBeUndefined();
      expect(cloud.env.deps.clients).toBe(cloud.env.clients);
      expect(describeLocalCloud(cloud, 'dir').some((line) => line.includes('DynamoDB faults'))).toBe(false);
    } finally {
      await cloud.close();
    }
  }, 60_000);
});
