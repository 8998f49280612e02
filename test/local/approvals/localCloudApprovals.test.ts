import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { ManualClock } from '../../../lambdas/lib/runtime/Clock';
import { startLocalApprovals } from '../../../local/approvals/localApprovals';
import { PAGE_PORT_FILE } from '../../../local/approvals/pagePortFile';
import { SIGNING_KEY_FILE } from '../../../local/approvals/signingKeyFile';
import { ENDPOINTS_FILE, EndpointsFileSchema } from '../../../local/cloud/endpoints';
import { startLocalCloud } from '../../../local/cloud/startLocalCloud';
import { PortInUseError } from '../../../local/emulators';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

describe('the local cloud serves approvals', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'backfill-cloud-approvals-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('on a data dir: the approval page on loopback named in endpoints.json, the key file made once (0600), the outbox in DIR/outbox', async () => {
    // GIVEN a local cloud on a new data dir
    const cloud = await startLocalCloud({ dataDir, codeVersion: 'test', demo: false });
    let firstKey: Buffer;
    try {
      // THEN endpoints.json names the approval page, which answers on 127.0.0.1
      const written = EndpointsFileSchema.parse(JSON.parse(readFileSync(join(dataDir, ENDPOINTS_FILE), 'utf8')));
      expect(written.approvals).toBe(cloud.approvals.server.url);
      expect(written.approvals).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${written.approvals}/approvals/x`)).status).toBeGreaterThanOrEqual(200);
      // AND the signing key is a 0600 file of 32 bytes; the outbox is DIR/outbox
      const keyPath = join(dataDir, SIGNING_KEY_FILE);
      expect(statSync(keyPath).mode & 0o777).toBe(0o600);
      firstKey = readFileSync(keyPath);
      expect(firstKey).toHaveLength(32);
      expect(cloud.approvals.outboxDir).toBe(join(dataDir, 'outbox'));
    } finally {
      await cloud.close({ drainMs: 100 });
    }
    // AND the page is closed with the cloud
    await expect(fetch(`${cloud.approvals.server.url}/approvals/x`)).rejects.toThrow();
    // WHEN the cloud starts again on the data dir, THEN the key and the page's port are the ones kept (links sent before stay valid)
    const again = await startLocalCloud({ dataDir, codeVersion: 'test', demo: false });
    try {
      expect(readFileSync(join(dataDir, SIGNING_KEY_FILE)).equals(firstKey)).toBe(true);
      expect(again.approvals.server.url).toBe(cloud.approvals.server.url);
    } finally {
      await again.close({ drainMs: 100 });
    }
  });

  it('in memory: the outbox is a temp folder removed on close; no key file anywhere', async () => {
    const cloud = await startLocalCloud({ codeVersion: 'test', demo: false });
    const { outboxDir } = cloud.approvals;
    try {
      expect(outboxDir.startsWith(tmpdir())).toBe(true);
      expect(readdirSync(outboxDir)).toEqual([]);
    } finally {
      await cloud.close({ drainMs: 100 });
    }
    expect(() => statSync(outboxDir)).toThrow(/ENOENT/);
  });
});

describe('the approval page port', () => {
  it('a taken N+3 refuses the cloud, naming the approval page and --port, and leaves nothing running', async () => {
    // GIVEN the port the approval page would get is taken
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      // WHEN the cloud starts on N = taken - 3
      const started = startLocalCloud({ port: taken - 3, codeVersion: 'test', demo: false });
      // THEN it fails naming that port and the service
      await expect(started).rejects.toThrow(PortInUseError);
      await expect(started).rejects.toThrow(`port ${taken} on 127.0.0.1 (approval page) is in use by another process; give another --port N (Step Functions on N, DynamoDB on N+1, S3 on N+2, the approval page on N+3)`);
    } finally {
      blocker.close();
    }
  });
});

describe('startLocalApprovals', () => {
  it('on a data dir whose remembered page port is taken now, the page takes another port and remembers that one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backfill-page-port-'));
    const blocker = createServer();
    try {
      // GIVEN the data dir remembers a port another process now holds
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
      const taken = (blocker.address() as AddressInfo).port;
      writeFileSync(join(dir, PAGE_PORT_FILE), `${taken}\n`);
      // WHEN approvals start there on any port
      const approvals = await startLocalApprovals({ dataDir: dir, clock: new ManualClock(), stepFunctionsEndpoint: () => 'http://127.0.0.1:9', pageHandler: () => async () => ({ statusCode: 204 }) });
      try {
        // THEN the page serves on another port, which the data dir now remembers
        expect(approvals.server.port).not.toBe(taken);
        expect(readFileSync(join(dir, PAGE_PORT_FILE), 'utf8')).toBe(`${approvals.server.port}\n`);
        expect((await fetch(`${approvals.server.url}/x`)).status).toBe(204);
      } finally {
        await approvals.close();
      }
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("its SFN client reaches the Step Functions endpoint it is given when it calls, not when it is built", async () => {
    // GIVEN approvals whose Step Functions endpoint is not known yet when they start
    let endpoint = 'http://127.0.0.1:9';
    const approvals = await startLocalApprovals({ clock: new ManualClock(), stepFunctionsEndpoint: () => endpoint, pageHandler: () => async () => ({ statusCode: 204 }) });
    const cloud = await startLocalCloud({ codeVersion: 'test', demo: false });
    try {
      // WHEN the endpoint becomes the local cloud's
      endpoint = cloud.endpoints.stepfunctions;
      // THEN SendTaskSuccess reaches that API, which refuses a token it never issued
      await expect(approvals.services.sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }))).rejects.toMatchObject({ name: expect.stringMatching(/^(InvalidToken|TaskDoesNotExist)$/) });
      // AND the page answers with the handler it was built with
      expect((await fetch(`${approvals.server.url}/approvals/x`)).status).toBe(204);
      expect(approvals.services.pageBaseUrl).toBe(approvals.server.url);
      expect(approvals.services.topicArn).toBe('arn:aws:sns:us-east-1:000000000000:backfill-approvals');
      expect(await approvals.services.signingKey()).toHaveLength(32);
    } finally {
      await approvals.close();
      await cloud.close({ drainMs: 100 });
    }
  });
});
