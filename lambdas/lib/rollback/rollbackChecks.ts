import { canonicalJson } from '../canonicalJson';
import { getRun, ROLLED_BACK_STATUSES, type RunStatus } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { RollbackIncompleteError, type NewerRun } from './errors';
import { readMapResults, type MapResult } from './readMapResults';
import type { RehearsalConflict, RehearsalProblem } from './rehearseBatch';
import { addRollbackCounts, ZERO_ROLLBACK_COUNTS, type RollbackCounts } from './RollbackCounts';
import type { RollbackManifestRef } from './rollbackManifest';

/** Problems and conflicts kept at most, and the bytes the conflicts may take (they end up in the execution's output). */
const SHOWN = 50;
const SHOWN_CONFLICT_BYTES = 32 * 1024;
/** Later runs looked up in the ledger at most (the ones that wrote the most items). */
const NEWER_RUNS_LOOKED_UP = 20;

/** One check child's result (CheckBatches: the rehearsal workers), as the workers return it. */
export interface RehearsalChildResult {
  readonly batches: number;
  readonly counts: RollbackCounts;
  readonly problemCount: number;
  /** Of `problemCount`: batches a worker of the run still held. @default 0 */
  readonly leasedBatches?: number;
  readonly problems: readonly RehearsalProblem[];
  readonly conflicts: readonly RehearsalConflict[];
  /** Items later runs wrote over, by run id. @default {} */
  readonly laterRuns?: Readonly<Record<string, number>>;
}

/** What the check of every batch found: the one judgement the rehearsal reports and the rollback acts on. */
export interface RollbackChecks {
  readonly batches: number;
  /** What a rollback would do now, per entry. */
  readonly counts: RollbackCounts;
  /** Every problem found, batches still held by a worker included. */
  readonly problemCount: number;
  /** Of `problemCount`: snapshots the rollback cannot use (it refuses while there is any). */
  readonly unusableCount: number;
  /** The first problems, in batch order. */
  readonly problems: readonly RehearsalProblem[];
  /** The first conflicts, in batch order, within a bounded size. */
  readonly conflicts: readonly RehearsalConflict[];
  /** Later runs that wrote over this run's items and are not rolled back, newest first (the rollback refuses unless told to keep their writes). */
  readonly newerRuns: readonly NewerRun[];
}

/**
 * The check children's results, read from what the CheckBatches Map's ResultWriter exported.
 * @throws RollbackIncompleteError when a result is not a check (rehearsal) result.
 * @example
 *   const results = await readCheckResults(deps, runId, state.checkResult);
 */
export async function readCheckResults(deps: Pick<Deps, 'clients'>, runId: string, mapResult: MapResult): Promise<RehearsalChildResult[]> {
  const outputs = await readMapResults(deps.clients.s3, mapResult);
  const results = outputs.filter((o): o is RehearsalChildResult & { mode: 'rehearse' } => (o as { mode?: unknown }).mode === 'rehearse');
  if (results.length !== outputs.length) throw new RollbackIncompleteError(runId, `${outputs.length - results.length} map results are not check results`);
  return results;
}

const byBatch = (a: { batchId: string }, b: { batchId: string }) => (a.batchId < b.batchId ? -1 : a.batchId > b.batchId ? 1 : 0);

/**
 * Sums the check children's results. A later run whose stamp is on items this run wrote counts as
 * a newer run unless it is rolled back already (what its stamp is still on, live traffic changed
 * since: ordinary conflicts).
 * @throws RollbackIncompleteError when the children did not cover every batch of the manifest.
 * @example
 *   const checks = await gatherChecks(deps, { runId, manifest, results }); // checks.unusableCount, checks.newerRuns
 */
export async function gatherChecks(
  deps: Pick<Deps, 'clients' | 'ledgerTable'>,
  input: { runId: string; manifest: RollbackManifestRef; results: readonly RehearsalChildResult[] },
): Promise<RollbackChecks> {
  const { runId, manifest, results } = input;
  const batches = results.reduce((sum, r) => sum + r.batches, 0);
  if (batches !== manifest.batchCount) throw new RollbackIncompleteError(runId, `the check covered ${batches} of ${manifest.batchCount} batches`);
  const counts = results.reduce((sum, r) => addRollbackCounts(sum, r.counts), ZERO_ROLLBACK_COUNTS);
  const problemCount = results.reduce((sum, r) => sum + r.problemCount, 0);
  const leased = results.reduce((sum, r) => sum + (r.leasedBatches ?? 0), 0);
  return {
    batches,
    counts,
    problemCount,
    unusableCount: problemCount - leased,
    problems: results.flatMap((r) => r.problems).sort(byBatch).slice(0, SHOWN),
    conflicts: withinBytes(results.flatMap((r) => r.conflicts).sort(byBatch).slice(0, SHOWN)),
    newerRuns: await newerRunsOf(deps, results),
  };
}

async function newerRunsOf(deps: Pick<Deps, 'clients' | 'ledgerTable'>, results: readonly RehearsalChildResult[]): Promise<NewerRun[]> {
  const items = new Map<string, number>();
  for (const r of results) for (const [id, n] of Object.entries(r.laterRuns ?? {})) items.set(id, (items.get(id) ?? 0) + n);
  const candidates = [...items.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, NEWER_RUNS_LOOKED_UP);
  const found: Array<NewerRun & { createdAt: string }> = [];
  for (const [laterRunId, count] of candidates) {
    const run = await getRun(deps, laterRunId);
    if (run && (ROLLED_BACK_STATUSES as readonly RunStatus[]).includes(run.status)) continue;
    found.push({ runId: laterRunId, items: count, status: run?.status ?? 'unknown', createdAt: run?.createdAt ?? '' });
  }
  return found.sort((a, b) => (a.createdAt > b.createdAt ? -1 : a.createdAt < b.createdAt ? 1 : a.runId < b.runId ? -1 : 1)).map(({ createdAt: _createdAt, ...run }) => run);
}

function withinBytes(conflicts: readonly RehearsalConflict[]): RehearsalConflict[] {
  const kept: RehearsalConflict[] = [];
  let bytes = 0;
  for (const conflict of conflicts) {
    bytes += canonicalJson(conflict).length;
    if (bytes > SHOWN_CONFLICT_BYTES) break;
    kept.push(conflict);
  }
  return kept;
}
