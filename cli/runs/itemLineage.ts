import { DescribeTableCommand, ListTablesCommand, type DescribeTableCommandOutput } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../lambdas/lib/canonicalJson';
import { getBatch, getRun } from '../../lambdas/lib/ledger';
import { readSnapshot } from '../../lambdas/lib/worker/SnapshotStore';
import { UsageError } from '../errors';
import type { Target } from '../target';

/** Who wrote a target item, and what it was before. */
export interface ItemLineage {
  readonly table: string;
  readonly key: Record<string, string | number>;
  readonly item: Record<string, unknown>;
  /** Absent when no backfill run wrote the item (it carries no stamp). */
  readonly writtenBy?: {
    readonly runId: string;
    readonly batchId: string;
    readonly transform: string;
    /** The code version pinned on the run (undefined when the run is gone from the ledger). */
    readonly codeVersion?: string;
    /** The run's status now (e.g. ROLLED_BACK_WITH_CONFLICTS: this item was kept); undefined when the run is gone from the ledger. */
    readonly runStatus?: string;
    /** When the batch that wrote it completed. */
    readonly at?: string;
    readonly snapshotKey?: string;
    /** The item before that batch wrote it; null: it did not exist. Undefined when the snapshot holds no entry for it. */
    readonly preImage?: Record<string, unknown> | null;
  };
}

/**
 * The table's description.
 * @throws UsageError when the target has no such table, naming the tables it has (as `dump` does)
 */
async function describeTable(target: Target, table: string): Promise<DescribeTableCommandOutput> {
  try {
    return await target.dynamodb.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    const { TableNames } = await target.dynamodb.send(new ListTablesCommand({}));
    throw new UsageError(`no table ${table} in ${target.label} (tables: ${(TableNames ?? []).join(', ') || 'none'}); give one of those to --table`, { cause: error });
  }
}

/**
 * Turns `k=v` pairs into the table's key, with each value typed as the table's key schema says.
 * @throws UsageError naming a missing table, a pair that is not `k=v`, a missing or unknown key attribute
 */
async function keyOf(target: Target, table: string, pairs: readonly string[]): Promise<Record<string, string | number>> {
  const { Table } = await describeTable(target, table);
  const types = new Map((Table?.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType!]));
  const keyNames = (Table?.KeySchema ?? []).map((k) => k.AttributeName!);
  const key: Record<string, string | number> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--key must be NAME=VALUE, got ${JSON.stringify(pair)}`);
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (!keyNames.includes(name)) throw new UsageError(`--key ${name} is not a key attribute of ${table} (its key: ${keyNames.join(', ')})`);
    if (types.get(name) === 'N' && !Number.isFinite(Number(value))) throw new UsageError(`--key ${name} is a number in ${table}, got ${JSON.stringify(value)}`);
    key[name] = types.get(name) === 'N' ? Number(value) : value;
  }
  const missing = keyNames.filter((name) => !(name in key));
  if (missing.length > 0) throw new UsageError(`${table}'s key is ${keyNames.join(' + ')}: add --key ${missing.map((m) => `${m}=...`).join(' --key ')}`);
  return key;
}

/**
 * Which run, batch, transform and code version wrote a target item, when, and its pre-image from
 * that batch's snapshot.
 * @example
 *   const lineage = await itemLineage(target, 'order-summaries', ['orderId=o-000042']);
 *   lineage.writtenBy?.runId; // 'orders-fix-rounding-edc284f25c1d'
 */
export async function itemLineage(target: Target, table: string, pairs: readonly string[]): Promise<ItemLineage> {
  const key = await keyOf(target, table, pairs);
  const { Item } = await target.deps.clients.ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  if (!Item) throw new UsageError(`${table} has no item ${canonicalJson(key)}; check the key (an item a run created is deleted when that run is rolled back: \`backfill audit RUN\` shows its rollback)`);
  const runId = Item.backfillRunId as string | undefined;
  const batchId = Item.backfillBatchId as string | undefined;
  if (!runId || !batchId) return { table, key, item: Item };
  const [run, batch] = await Promise.all([getRun(target.deps, runId), getBatch(target.deps, runId, batchId)]);
  let preImage: Record<string, unknown> | null | undefined;
  if (batch?.snapshot) {
    const entries = await readSnapshot(target.deps.clients.s3, target.deps.artifactsBucket, { runId, batchId }, batch.snapshot);
    const wanted = canonicalJson(key);
    preImage = entries.find((entry) => canonicalJson(entry.key) === wanted)?.preImage;
  }
  return {
    table,
    key,
    item: Item,
    writtenBy: { runId, batchId, transform: String(Item.backfillTransform), codeVersion: run?.codeVersion, runStatus: run?.status, at: batch?.updatedAt, snapshotKey: batch?.snapshot?.key, preImage },
  };
}
