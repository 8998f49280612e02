import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LEDGER_TABLE } from '../../../infra/definitions';
import { localClients } from '../../../local/aws';
import { canonicalJson } from '../../../lambdas/lib/canonicalJson';
import { getBatch, startOrResumeRun, type BatchRecord } from '../../../lambdas/lib/ledger';
import { buildPlan, ManifestItemSchema, type ManifestItem } from '../../../lambdas/lib/plan';
import { ManualClock } from '../../../lambdas/lib/runtime/Clock';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import { SpecSchema, specHash, type Spec, type SpecInput } from '../../../lambdas/lib/spec';
import type { BatchContext } from '../../../lambdas/lib/worker';
import type { TargetItem, Transform } from '../../../lambdas/transforms/Transform';
import { doubler } from './doubler';
import { createBucket, createTable, uniqueName, useEmulators, type DynamoTarget, type Emulators } from '../../support';

export { uniqueName } from '../../support';

/** A DynamoDB call as a hook sees it, before it is sent. */
export interface DdbCall {
  readonly command: string;
  readonly tableName?: string;
  readonly input: Record<string, unknown>;
}

export interface FixtureOptions {
  /** Reuse a runId, e.g. for a twin fixture that computes what one clean run leaves. @default - a new unique id */
  readonly runId?: string;
  /** The spec's transform; the batch context always uses {@link doubler}. @default 'doubler@1' */
  readonly transform?: string;
  /** The target table's partition key. @default 'id' */
  readonly partitionKey?: string;
  readonly batchSize?: number;
  readonly mode?: 'apply' | 'dry-run';
}

/**
 * Everything one test needs: its own ledger table, target table, source and artifacts buckets on
 * the running emulators, a {@link ManualClock}, and the spec of a `doubler@1` run over the source.
 */
export interface Fixture {
  readonly clock: ManualClock;
  readonly deps: Deps;
  readonly runId: string;
  readonly spec: Spec;
  readonly targetTable: string;
  readonly sourceBucket: string;
  /** Uploads the source lines, starts the run and plans it with `buildPlan`; returns the manifest items. */
  plan(lines: readonly string[]): Promise<ManifestItem[]>;
  /** The context of one attempt of a batch. */
  ctx(owner: string): BatchContext;
  /** The same deps on separate clients that call `hook` before each DynamoDB call is sent. */
  depsWithHook(hook: (call: DdbCall) => Promise<void> | void): Deps;
  /** The whole target table as sorted canonical JSON lines: equal strings ⇔ equal tables. */
  dumpTarget(): Promise<string>;
  putTarget(item: TargetItem): Promise<void>;
  getTarget(id: string): Promise<TargetItem | undefined>;
  batch(batchId: string): Promise<BatchRecord | undefined>;
  /**
   * Waits until every call sent through `depsWithHook` clients has finished: a "crashed" attempt's
   * calls already on the wire still land, and must have before the next attempt looks.
   */
  settle(): Promise<void>;
  readArtifact(key: string): Promise<string>;
  listArtifacts(prefix: string): Promise<string[]>;
  /** The same tables and buckets for another run: a new runId and a new clock (cheap; for ledger-only tests). */
  forNewRun(): Fixture;
}

interface Resources {
  readonly ledgerTable: string;
  readonly targetTable: string;
  readonly sourceBucket: string;
  readonly artifactsBucket: string;
}

export async function createFixture(env: Emulators, options: FixtureOptions = {}): Promise<Fixture> {
  const resources: Resources = {
    ledgerTable: uniqueName('ledger'),
    targetTable: uniqueName('target'),
    sourceBucket: uniqueName('source'),
    artifactsBucket: uniqueName('artifacts'),
  };
  await Promise.all([
    createTable(env.clients, resources.ledgerTable, LEDGER_TABLE),
    createTable(env.clients, resources.targetTable, { partitionKey: { name: options.partitionKey ?? 'id', type: 'S' } }),
    createBucket(env.clients, resources.sourceBucket),
    createBucket(env.clients, resources.artifactsBucket),
  ]);
  return fixtureOn(env, resources, options);
}

function fixtureOn(env: Emulators, resources: Resources, options: FixtureOptions): Fixture {
  const { clients } = env;
  const { ledgerTable, targetTable, sourceBucket, artifactsBucket } = resources;
  const clock = new ManualClock();
  const inFlight = new Set<Promise<unknown>>();
  const deps: Deps = { clients, ledgerTable, artifactsBucket, clock, codeVersion: 'test' };
  const runId = options.runId ?? uniqueName('run');
  const specInput: SpecInput = {
    jobName: 'doubler-test',
    source: { type: 's3-jsonl', bucket: sourceBucket, prefix: 'records/' },
    transform: options.transform ?? 'doubler@1',
    target: { tableName: targetTable, partitionKey: options.partitionKey ?? 'id', versionAttribute: 'version' },
    batchSize: options.batchSize ?? 100,
    mode: options.mode ?? 'apply',
    leaseSeconds: 60,
  };
  const spec = SpecSchema.parse(specInput);

  const readArtifact = async (key: string): Promise<string> => {
    const { Body } = await clients.s3.send(new GetObjectCommand({ Bucket: artifactsBucket, Key: key }));
    return Body!.transformToString('utf8');
  };

  return {
    clock,
    deps,
    runId,
    spec,
    targetTable,
    sourceBucket,
    async plan(lines) {
      await clients.s3.send(new PutObjectCommand({ Bucket: sourceBucket, Key: 'records/part-0001.jsonl', Body: lines.map((l) => `${l}\n`).join('') }));
      await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec) });
      const plan = await buildPlan(deps, runId, spec);
      const manifest = await readArtifact(plan.manifestKey);
      return manifest
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => ManifestItemSchema.parse(JSON.parse(line)));
    },
    ctx: (owner) => ({ runId, spec, transform: doubler as Transform, owner }),
    depsWithHook(hook) {
      const hooked = env.adopt(localClients({ dynamodbEndpoint: env.ddbEndpoint, s3Endpoint: env.s3Endpoint }));
      hooked.ddb.middlewareStack.add(
        (next, context) => async (args) => {
          const input = args.input as Record<string, unknown>;
          await hook({ command: String(context.commandName), tableName: input.TableName as string | undefined, input });
          const call = next(args);
          inFlight.add(call);
          return call.finally(() => inFlight.delete(call));
        },
        { step: 'initialize', name: 'testDdbHook' },
      );
      return { ...deps, clients: hooked };
    },
    async dumpTarget() {
      const lines: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await clients.ddb.send(new ScanCommand({ TableName: targetTable, ExclusiveStartKey: start, ConsistentRead: true }));
        for (const item of page.Items ?? []) lines.push(canonicalJson(item));
        start = page.LastEvaluatedKey;
      } while (start);
      return lines.sort().map((line) => `${line}\n`).join('');
    },
    async putTarget(item) {
      await clients.ddb.send(new PutCommand({ TableName: targetTable, Item: item }));
    },
    async getTarget(id) {
      const { Item } = await clients.ddb.send(new GetCommand({ TableName: targetTable, Key: { id }, ConsistentRead: true }));
      return Item;
    },
    batch: (batchId) => getBatch(deps, runId, batchId),
    async settle() {
      await Promise.allSettled([...inFlight]);
    },
    readArtifact,
    async listArtifacts(prefix) {
      const { Contents } = await clients.s3.send(new ListObjectsV2Command({ Bucket: artifactsBucket, Prefix: prefix }));
      return (Contents ?? []).map((c) => c.Key!).sort();
    },
    forNewRun: () => fixtureOn(env, resources, { ...options, runId: undefined }),
  };
}

/**
 * For a describe block: emulators for `target`, one fixture (tables, bucket, source) made once, and
 * a fresh run of it for each test. Call the returned function in a test (or beforeEach) to get it.
 * @example
 *   const fixture = useFreshRunFixture(target);
 *   let f: Fixture;
 *   beforeEach(() => (f = fixture()));
 */
export function useFreshRunFixture(target: DynamoTarget): () => Fixture {
  const env = useEmulators(target);
  let base: Fixture | undefined;
  let current: Fixture | undefined;
  beforeAll(async () => {
    base = await createFixture(env());
  });
  beforeEach(() => {
    current = base!.forNewRun();
  });
  return () => current!;
}
