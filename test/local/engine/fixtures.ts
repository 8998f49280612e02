import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig } from '../../../local/aws';
import { startS3rver } from '../../../local/emulators/startS3rver';
import type { AslDefinition, AslState } from '../../../local/engine';

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

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An error with an ASL-style name, like the domain errors handlers throw. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message, { cause: new Error('inner detail that must not become the Cause') });
  error.name = name;
  return error;
}
