import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OperationsConfigurationError } from '../../../../lambdas/lib/breaker';
import { notifyPaused } from '../../../../lambdas/lib/gate';
import { requestPause, requireRun, startOrResumeRun, type RunRecord } from '../../../../lambdas/lib/ledger';
import { specHash } from '../../../../lambdas/lib/spec';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture } from '../../support/fixture';

// On AWS the check-gate function has no injected notifier: it must publish with the one
// OPERATIONS_TOPIC_ARN names (its operations:notify grant). SNS has no emulator: a local HTTP
// endpoint (AWS_ENDPOINT_URL_SNS) records the exact Publish request and answers as SNS does.
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:backfill-operations';
const SNS_ENV = ['OPERATIONS_TOPIC_ARN', 'AWS_ENDPOINT_URL_SNS', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

describe.each(dynamoTargets().slice(0, 1))('notifyPaused without an injected notifier (AWS; on %s)', (target) => {
  const env = useEmulators(target);
  const saved = Object.fromEntries(SNS_ENV.map((name) => [name, process.env[name]]));
  let run: RunRecord;
  let sns: Server;
  const requests: URLSearchParams[] = [];

  beforeAll(async () => {
    sns = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        requests.push(new URLSearchParams(body));
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>');
      });
    });
    await new Promise<void>((resolve) => sns.listen(0, '127.0.0.1', resolve));
  });
  beforeEach(async () => {
    const f = await createFixture(env());
    await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec) });
    await requestPause(f.deps, f.runId, { by: 'alarm:backfill-health', reason: 'the breaker opened', trigger: 'breaker' });
    run = await requireRun(f.deps, f.runId);
    requests.length = 0;
  });
  afterEach(() => {
    for (const name of SNS_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => sns.close(() => resolve()));
  });

  it('refuses with OperationsConfigurationError when OPERATIONS_TOPIC_ARN is missing (no silent skip)', async () => {
    delete process.env.OPERATIONS_TOPIC_ARN;
    await expect(notifyPaused({}, run)).rejects.toThrow(OperationsConfigurationError);
  });

  it('publishes "run is PAUSED" to the topic OPERATIONS_TOPIC_ARN names', async () => {
    Object.assign(process.env, {
      OPERATIONS_TOPIC_ARN: TOPIC,
      AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${(sns.address() as AddressInfo).port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });

    await notifyPaused({}, run);

    expect(requests).toHaveLength(1);
    expect(Object.fromEntries(requests[0]!)).toEqual({
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: TOPIC,
      Subject: `Backfill run ${run.runId} is PAUSED`,
      Message:
        `Run ${run.runId} (${run.jobName}) is PAUSED: paused by its on-failure policy (breaker) by alarm:backfill-health: the breaker opened.\n` +
        `Resume it: backfill resume ${run.runId}\nAbort it: backfill abort ${run.runId} --reason "..." [--rollback]\n` +
        'Without an answer within pauseTimeoutSeconds (86400) it is aborted.',
    });
  });
});
