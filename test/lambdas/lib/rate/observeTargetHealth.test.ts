import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../../lambdas/lib/aws/clients';
import { observeTargetHealth } from '../../../../lambdas/lib/rate';
import { ManualClock } from '../../../../lambdas/lib/runtime/Clock';

/** DynamoDB's own answer to a throttled request (the body and header the service sends). */
const THROTTLED = {
  status: 400,
  type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
};

/** A loopback stand-in for DynamoDB: answers the first `throttled` requests as throttled, the rest with `{}`. */
async function fakeDynamo(throttled: number): Promise<{ server: Server; endpoint: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      const body = requests <= throttled ? { __type: THROTTLED.type, message: THROTTLED.message } : {};
      response.writeHead(requests <= throttled ? THROTTLED.status : 200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `r${requests}` });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

describe('observeTargetHealth', () => {
  let fake: Awaited<ReturnType<typeof fakeDynamo>>;
  afterEach(async () => {
    await new Promise<void>((resolve) => fake.server.close(() => resolve()));
  });
  const client = (maxAttempts?: number) => documentClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, ...(maxAttempts ? { maxAttempts } : {}) });

  it('counts each throttled attempt the SDK retries hide', async () => {
    // GIVEN a DynamoDB that throttles twice, then accepts
    fake = await fakeDynamo(2);
    const ddb = client();
    const health = observeTargetHealth(ddb, new ManualClock());
    // WHEN one write goes through the observed view
    const output = await health.ddb.send(new PutCommand({ TableName: 'target', Item: { id: 'a' } }));
    // THEN the SDK succeeded on its third attempt, hiding the throttles, and the observer saw both
    expect(output.$metadata.attempts).toBe(3);
    expect(fake.requests()).toBe(3);
    expect(health.stop()).toMatchObject({ throttles: 2, writeRequests: 1 });
    ddb.destroy();
  });

  it('counts the throttles of a request the SDK gives up on, and reads as well as writes', async () => {
    // GIVEN a DynamoDB that throttles every attempt of a client making at most 2
    fake = await fakeDynamo(5);
    const ddb = client(2);
    const health = observeTargetHealth(ddb, new ManualClock());
    await expect(health.ddb.send(new GetCommand({ TableName: 'target', Key: { id: 'a' } }))).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    // THEN two throttled attempts, and no write request
    expect(health.stop()).toEqual({ throttles: 2, writeRequests: 0, writeLatencyMs: { p50: 0, max: 0 } });
    ddb.destroy();
  });

  it('times each write request and leaves the client itself untouched', async () => {
    fake = await fakeDynamo(0);
    const ddb = client();
    const clock = new ManualClock();
    // A clock that moves 10, 20, then 30 ms during each successive write: the latencies the observer must report
    let nextLatency = 10;
    ddb.middlewareStack.add((next) => async (args) => {
      clock.advance(nextLatency);
      nextLatency += 10;
      return next(args);
    }, { step: 'build', name: 'advanceClock' });
    const health = observeTargetHealth(ddb, clock);
    for (const id of ['a', 'b', 'c']) await health.ddb.send(new PutCommand({ TableName: 'target', Item: { id } }));
    // a write through the client itself is not observed
    await ddb.send(new PutCommand({ TableName: 'target', Item: { id: 'd' } }));
    expect(health.stop()).toEqual({ throttles: 0, writeRequests: 3, writeLatencyMs: { p50: 20, max: 30 } });
    ddb.destroy();
  });
});
