import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ApiMeter } from '../../bench/metering/ApiMeter';
import { LambdaMeter } from '../../bench/metering/LambdaMeter';
import { createBucket, uniqueName, useEmulators } from '../support';

describe('ApiMeter per function', () => {
  const env = useEmulators('dynalite');

  it('counts a request in all and under the function whose call made it, and reads a snapshot', async () => {
    // GIVEN a meter that asks a LambdaMeter which call it is in
    const bucket = await createBucket(env().clients, uniqueName('meter'));
    const lambdas = new LambdaMeter({ trackCalls: true });
    const api = new ApiMeter(lambdas.currentFunction);
    api.attach(env().clients);
    api.start();
    const put = (key: string) => env().clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    const worker = lambdas.wrap('worker', async () => {
      await put('a');
      await put('b');
      return null;
    });
    // WHEN two requests run inside a worker call and one outside any call
    await worker({});
    const snapshot = api.snapshot();
    await put('c');
    const usage = api.stop();
    // THEN
    expect(usage.requests['S3.PutObject']).toBe(3);
    expect(snapshot.byFunction).toEqual({ worker: { requests: { 'S3.PutObject': 2 }, errors: {}, dynamodb: {} } });
    expect(snapshot.total.requests['S3.PutObject']).toBe(2);
  });
});
