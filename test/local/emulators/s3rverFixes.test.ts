import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig } from '../../../local/aws';
import { startS3rver, type RunningEmulator } from '../../../local/emulators';

describe('s3rver as tools nobody here wrote use it', () => {
  let emulator: RunningEmulator;
  let s3: S3Client;
  beforeAll(async () => {
    // GIVEN s3rver and a client with the dummy credentials the AWS CLI examples use
    emulator = await startS3rver({ anyAccessKey: true });
    s3 = new S3Client({ ...localS3ClientConfig(emulator.endpoint), credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    s3.destroy();
    await emulator.close();
  });

  it('accepts any access key id', async () => {
    // WHEN it creates and lists buckets
    await s3.send(new CreateBucketCommand({ Bucket: 'any-key' }));
    const listed = await s3.send(new ListBucketsCommand({}));
    // THEN s3rver answers instead of 403 InvalidAccessKeyId
    expect(listed.Buckets?.map((b) => b.Name)).toEqual(['any-key']);
  });

  it('lists the common prefixes of objects that lie deeper than one level, as `aws s3 ls s3://bucket/` needs', async () => {
    // GIVEN objects two levels down and one at the top
    await s3.send(new CreateBucketCommand({ Bucket: 'deep' }));
    for (const key of ['reports/r1/report.json', 'manifests/r1/plan.jsonl', 'manifests/r2/plan.jsonl', 'top.txt']) {
      await s3.send(new PutObjectCommand({ Bucket: 'deep', Key: key, Body: key }));
    }
    // WHEN it lists with a delimiter, at the top and under a prefix
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'deep', Delimiter: '/' }));
    const under = await s3.send(new ListObjectsV2Command({ Bucket: 'deep', Delimiter: '/', Prefix: 'manifests/' }));
    // THEN every prefix is there, and only the objects at that level
    expect({ prefixes: top.CommonPrefixes?.map((p) => p.Prefix), keys: top.Contents?.map((c) => c.Key) }).toEqual({ prefixes: ['manifests/', 'reports/'], keys: ['top.txt'] });
    expect({ prefixes: under.CommonPrefixes?.map((p) => p.Prefix), keys: under.Contents }).toEqual({ prefixes: ['manifests/r1/', 'manifests/r2/'], keys: undefined });
  });
});
