import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig } from '../../../local/aws';
import { startS3rver } from '../../../local/emulators/startS3rver';
import type { AslDefinition, AslState, TaskHandler } from '../../../local/engine';
import { deferred, type Deferred } from '../../support';

/** A Lambda-looking ARN for a toy handler. */
export const fn = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** A one-Task ItemProcessor for a distributed Map. */
export function processor(resource: string, executionType: 'EXPRESS' | 'STANDARD' = 'EXPRESS', task: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType },
    StartAt: 'Work',
    States: { Work: { Type: 'Task', Resource: resource, End: true, ...task } },
  };
}

/** A machine whose only state is the given distributed Map, ending the execution. */
export function mapMachine(map: Record<string, unknown>): AslDefinition {
  return { StartAt: 'Fan', States: { Fan: { Type: 'Map', End: true, ...map } as AslState } };
}

export interface S3Fixture {
  readonly s3: S3Client;
  readonly bucket: string;
  putText(key: string, body: string): Promise<void>;
  getText(key: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts s3rver on loopback with one bucket. */
export async function startS3Fixture(bucket = 'engine-test'): Promise<S3Fixture> {
  const server = await startS3rver();
  const s3 = new S3Client(localS3ClientConfig(server.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    s3,
    bucket,
    putText: async (key, body) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    getText: async (key) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await object.Body?.transformToString('utf8')) ?? '';
    },
    close: async () => {
      s3.destroy();
      await server.close();
    },
  };
}

/** For a child that must take measurable time (durations); never to make children overlap (see {@link overlappingChildren}). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A handler that keeps `width` of `total` children running at once for as long as enough are left:
 * each child waits until `width` (or every unfinished one) are running, then the oldest finishes.
 * Under a MaxConcurrency of `width` exactly `width` then overlap at every step, without a sleep;
 * an engine that starts more shows it in `peak`, one that starts fewer never lets a child finish.
 */
export function overlappingChildren(width: number, total: number): { readonly handler: TaskHandler; readonly peak: number } {
  const parked: Array<Deferred<void>> = [];
  let running = 0;
  let peak = 0;
  let finished = 0;
  const releaseOldestWhenFull = () => {
    if (parked.length > 0 && parked.length >= Math.min(width, total - finished)) parked.shift()!.resolve();
  };
  const handler: TaskHandler = async (input) => {
    running += 1;
    peak = Math.max(peak, running);
    const turn = deferred();
    parked.push(turn);
    releaseOldestWhenFull();
    await turn.promise;
    running -= 1;
    finished += 1;
    releaseOldestWhenFull();
    return input;
  };
  return {
    handler,
    get peak() {
      return peak;
    },
  };
}

/** An error with an ASL-style name, like the domain errors handlers throw. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message, { cause: new Error('inner detail that must not become the Cause') });
  error.name = name;
  return error;
}
