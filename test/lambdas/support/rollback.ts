import {
  beginRollbackFromChecks,
  finishRollback,
  loadRollback,
  processRollbackWorkerInput,
  readRollbackManifest,
  summarizeRehearsal,
  type LoadRollbackResult,
  type RehearsalChildResult,
  type RehearsalReport,
  type RollbackManifestItem,
  type RollbackReport,
  type RollbackWorkerResult,
} from '../../../lambdas/lib/rollback';
import { markRunFailed, markRunSucceeded } from '../../../lambdas/lib/ledger';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import type { DdbCall, Fixture } from './fixture';

type Loaded = Extract<LoadRollbackResult, { alreadyRolledBack: false }>;

/** Ends the fixture's forward run as Finalize (SUCCEEDED) or MarkRunFailed (FAILED) would, so it may be rolled back without force. */
export async function endRun(f: Fixture, status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED'): Promise<void> {
  if (status === 'FAILED') await markRunFailed(f.deps, f.runId, { Error: 'States.TaskFailed', Cause: 'a worker crashed' });
  else await markRunSucceeded(f.deps, f.runId, 'SUCCEEDED', { runId: f.runId });
}

/** The manifest items of a loaded rollback, in batch order. */
export async function manifestItemsOf(deps: Deps, loaded: Loaded): Promise<RollbackManifestItem[]> {
  return readRollbackManifest(deps, loaded.manifest);
}

/** One rollback Map child's input, as the ItemBatcher builds it from LoadRollback's output: CheckBatches' (rehearse) or RestoreBatches' (apply). */
export function workerInputOf(loaded: Loaded, items: readonly RollbackManifestItem[], mode: 'apply' | 'rehearse' = loaded.mode) {
  return { Items: [...items], BatchInput: { runId: loaded.runId, mode, target: loaded.target, leaseSeconds: loaded.leaseSeconds } };
}

/** CheckBatches: one check child per batch of the manifest. */
async function checkAll(deps: Deps, loaded: Loaded): Promise<RehearsalChildResult[]> {
  const results: RollbackWorkerResult[] = [];
  for (const item of await manifestItemsOf(deps, loaded)) results.push(await processRollbackWorkerInput(deps, workerInputOf(loaded, [item], 'rehearse'), 'check'));
  return results as RehearsalChildResult[];
}

export interface RollBackOptions {
  readonly force?: boolean;
  readonly keepNewerRunWrites?: boolean;
  readonly deps?: Deps;
  readonly owner?: string;
  /** The order the batches are rolled back in (children run in any order). @default - manifest order */
  readonly order?: (items: RollbackManifestItem[]) => RollbackManifestItem[];
  /** Stop after this many batches, without finishing (an interrupted rollback). */
  readonly stopAfterBatches?: number;
  /** The rollback input's `requestedBy` and `reason`. @default - absent */
  readonly requestedBy?: string;
  readonly reason?: string;
}

/**
 * Runs a rollback of the fixture's run the way rollback.asl.json does — LoadRollback, one check
 * child per batch (CheckBatches), BeginRollback, one restore child per batch (RestoreBatches),
 * FinishRollback — calling the domain functions directly. Returns the report, or undefined when stopped early.
 */
export async function rollBack(f: Fixture, options: RollBackOptions = {}): Promise<RollbackReport | undefined> {
  const deps = options.deps ?? f.deps;
  const loaded = await loadRollback(deps, {
    runId: f.runId,
    ...(options.force ? { force: true } : {}),
    ...(options.keepNewerRunWrites ? { keepNewerRunWrites: true } : {}),
    ...(options.requestedBy === undefined ? {} : { requestedBy: options.requestedBy }),
    ...(options.reason === undefined ? {} : { reason: options.reason }),
  });
  if (loaded.alreadyRolledBack) return loaded.report;
  await beginRollbackFromChecks(deps, loaded, await checkAll(deps, loaded));
  let items = await manifestItemsOf(deps, loaded);
  if (options.order) items = options.order(items);
  for (const [index, item] of items.entries()) {
    if (options.stopAfterBatches === index) return undefined;
    await processRollbackWorkerInput(deps, workerInputOf(loaded, [item]), options.owner ?? 'rollback-attempt');
  }
  return finishRollback(deps, { runId: f.runId, manifest: loaded.manifest });
}

/** Rehearses a rollback of the fixture's run the way rollback.asl.json does in `mode: "rehearse"`. */
export async function rehearse(f: Fixture, options: { force?: boolean; requestedBy?: string } = {}): Promise<RehearsalReport> {
  const loaded = await loadRollback(f.deps, {
    runId: f.runId,
    mode: 'rehearse',
    ...(options.force ? { force: true } : {}),
    ...(options.requestedBy === undefined ? {} : { requestedBy: options.requestedBy }),
  });
  if (loaded.alreadyRolledBack) throw new Error(`run ${f.runId} is already rolled back`);
  return summarizeRehearsal(f.deps, { runId: f.runId, manifest: loaded.manifest, force: loaded.force, requestedBy: loaded.requestedBy, results: await checkAll(f.deps, loaded) });
}

const TARGET_WRITES = new Set(['PutItemCommand', 'DeleteItemCommand', 'UpdateItemCommand']);

/** A DynamoDB hook that counts writes (put, update, delete) to the target table. */
export function countTargetChanges(targetTable: string): { hook: (call: DdbCall) => void; readonly count: number } {
  let count = 0;
  return {
    hook(call) {
      if (TARGET_WRITES.has(call.command) && call.tableName === targetTable) count += 1;
    },
    get count() {
      return count;
    },
  };
}

/** What a crashed rollback attempt's calls fail with. */
export class SimulatedRollbackCrash extends Error {
  constructor(call: DdbCall) {
    super(`simulated crash: the rollback worker died before ${call.command}`);
    this.name = 'SimulatedRollbackCrash';
  }
}

/**
 * A DynamoDB hook that lets `writes` target writes (restores or deletes) through and then fails
 * every later call, as if the rollback worker died right there: its rollback record stays
 * IN_PROGRESS under its lease.
 */
export function crashAfterRestores(targetTable: string, writes: number): { hook: (call: DdbCall) => void } {
  let seen = 0;
  let crashed = false;
  return {
    hook(call) {
      if (crashed) throw new SimulatedRollbackCrash(call);
      if (TARGET_WRITES.has(call.command) && call.tableName === targetTable) {
        if (seen === writes) {
          crashed = true;
          throw new SimulatedRollbackCrash(call);
        }
        seen += 1;
      }
    },
  };
}
