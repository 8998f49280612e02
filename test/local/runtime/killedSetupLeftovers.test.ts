import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { LEDGER_TABLE, LOCAL_NAMES } from '../../../infra/definitions';
import { getRun } from '../../../lambdas/lib/ledger';
import { RUN_SK, runPk } from '../../../lambdas/lib/ledger/keys';
import { startS3rver } from '../../../local/emulators';
import { ensureTable } from '../../../local/runtime/ensureResources';
import { startLocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { waitFor } from '../../support';

jest.setTimeout(60_000);

const REPO = join(__dirname, '..', '..', '..');

/**
 * Runs dynalite in a child process on `dynamoDir`, has it create the ledger table, and SIGKILLs the
 * child as soon as CreateTable has answered. dynalite stores the table as CREATING, answers, and
 * flips it to ACTIVE from a timer; `createTableMs` is an hour here, so the kill always lands between
 * those two writes — the on-disk state a `npm start` killed inside CreateTable leaves.
 */
async function killInsideCreateTable(dynamoDir: string): Promise<void> {
  const script = `
    const dynalite = require('dynalite');
    const { DynamoDBClient, CreateTableCommand } = require('@aws-sdk/client-dynamodb');
    const { createTableInput } = require('./local/tables');
    const { LEDGER_TABLE, LOCAL_NAMES } = require('./infra/definitions');
    const server = dynalite({ path: process.env.DYNAMO_DIR, createTableMs: 3600000 });
    server.listen(0, '127.0.0.1', async () => {
      const client = new DynamoDBClient({ endpoint: 'http://127.0.0.1:' + server.address().port, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      await client.send(new CreateTableCommand(createTableInput(LOCAL_NAMES.ledgerTable, LEDGER_TABLE)));
      process.stdout.write('created\\n');
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: REPO,
    env: { ...process.env, DYNAMO_DIR: dynamoDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('created') && resolve());
    void closed.then(() => reject(new Error('the child ended before CreateTable answered')));
  });
  child.kill('SIGKILL');
  expect(await closed).toBe('SIGKILL');
}

describe('a data dir left behind by a process killed during setup', () => {
  const work = mkdtempSync(join(tmpdir(), 'killed-setup-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('finishes a table creation the killed process left CREATING, so the next processes can write and find the run record', async () => {
    // GIVEN a data dir whose ledger table was left CREATING by a process killed inside CreateTable
    const dataDir = join(work, 'creating');
    mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
    await killInsideCreateTable(join(dataDir, 'dynamodb'));

    // WHEN the local environment starts on it and a run record is written
    const first = await startLocalEnvironment({ dataDir, codeVersion: 'test' });
    try {
      const { Table } = await first.clients.ddb.send(new DescribeTableCommand({ TableName: LOCAL_NAMES.ledgerTable }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      await first.clients.ddb.send(
        new PutCommand({ TableName: LOCAL_NAMES.ledgerTable, Item: { pk: runPk('r1'), sk: RUN_SK, runId: 'r1', status: 'RUNNING', starts: 1 } }),
      );
    } finally {
      await first.close();
    }

    // THEN the process after it finds that run record
    const second = await startLocalEnvironment({ dataDir, codeVersion: 'test' });
    try {
      expect(await getRun(second.deps, 'r1')).toMatchObject({ runId: 'r1', status: 'RUNNING', starts: 1 });
    } finally {
      await second.close();
    }
  });

  it('keeps a bucket usable when a killed PUT left an object with an empty metadata file', async () => {
    // GIVEN an artifacts bucket holding an object whose metadata write was cut short (s3rver rewrites
    // KEY._S3rver_metadata.json in place after the bytes, so a kill there leaves it empty)
    const dataDir = join(work, 'torn-metadata');
    const objectDir = join(dataDir, 's3', LOCAL_NAMES.artifactsBucket, 'manifests');
    mkdirSync(objectDir, { recursive: true });
    const body = '{"batches":[]}';
    writeFileSync(join(objectDir, 'm.json._S3rver_object'), body);
    writeFileSync(join(objectDir, 'm.json._S3rver_object.md5'), createHash('md5').update(body).digest('hex'));
    writeFileSync(join(objectDir, 'm.json._S3rver_metadata.json'), '');

    // WHEN the local environment starts on it (it checks the bucket with HeadBucket, which s3rver answers by listing it)
    const env = await startLocalEnvironment({ dataDir, codeVersion: 'test' });
    try {
      // THEN the bucket lists and serves the object's bytes
      const listed = await env.clients.s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.artifactsBucket }));
      expect(listed.Contents?.map((o) => o.Key)).toEqual(['manifests/m.json']);
      const got = await env.clients.s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.artifactsBucket, Key: 'manifests/m.json' }));
      expect(await got.Body!.transformToString()).toBe(body);
    } finally {
      await env.close();
    }
  });

  it('keeps the previous object on disk while a PUT over it is still in flight (so a kill mid-PUT cannot tear it)', async () => {
    const directory = join(work, 's3-inflight');
    const s3 = await startS3rver({ directory });
    const { hostname, port } = new URL(s3.endpoint);
    const request = (method: string, path: string, body?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: hostname, port, method, path }, (res) => res.resume().on('end', () => resolve(res.statusCode!)));
        req.on('error', reject);
        req.end(body);
      });
    const objectFile = join(directory, 'bucket', 'key._S3rver_object');
    // s3rver reports the upload this test abandons on console.error (through winston with no transport).
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let inflight: http.ClientRequest | undefined;
    try {
      // GIVEN an object
      expect(await request('PUT', '/bucket')).toBe(200);
      expect(await request('PUT', '/bucket/key', 'old bytes')).toBe(200);

      // WHEN a PUT over it has sent half its body and stalls (as when its process is killed)
      const next = 'n'.repeat(64 * 1024);
      inflight = http.request({ host: hostname, port, method: 'PUT', path: '/bucket/key', headers: { 'content-length': String(next.length * 2) } });
      inflight.on('error', () => undefined);
      inflight.write(next);
      // (s3rver has begun storing it once its temp file appears, or, were it writing in place, once the object changed)
      const started = () => readdirSync(join(directory, 'bucket')).some((f) => f.includes('.inflight-')) || readFileSync(objectFile, 'utf8') !== 'old bytes';
      await waitFor(started, { describe: 's3rver to start storing the stalled PUT', timeoutMs: 5_000, intervalMs: 20 });

      // THEN the stored object is still the whole previous version
      const stored = readFileSync(objectFile, 'utf8');
      expect(stored === 'old bytes' ? stored : `${stored.length} bytes starting ${JSON.stringify(stored.slice(0, 8))}`).toBe('old bytes');
    } finally {
      // The abandoned upload is cut off before closing (a server with an open upload never closes).
      inflight?.destroy();
      await s3.close();
      quiet.mockRestore();
    }
    expect(existsSync(objectFile)).toBe(true);
  });

  it('fails with a message naming the table when a table never becomes ACTIVE', async () => {
    const ddb = { send: async () => ({ Table: { TableStatus: 'DELETING' } }) } as unknown as DynamoDBDocumentClient;
    await expect(ensureTable(ddb, 'backfill-ledger', LEDGER_TABLE, { activeTimeoutMs: 100 })).rejects.toThrow(
      /local table backfill-ledger is DELETING, not ACTIVE.*--data-dir/,
    );
  });
});
