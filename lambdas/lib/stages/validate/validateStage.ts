import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getTransform } from '../../../transforms';
import { transformId, type Transform } from '../../../transforms/Transform';
import { evidenceHtmlKey, evidenceKey } from '../../artifacts';
import { loadPriceTable, type PriceTable } from '../../cost';
import { changeRatioGate, renderEvidenceHtml, type StageEvidence } from '../../evidence';
import { addCounts, ZERO_COUNTS } from '../../ledger';
import type { PlanResult } from '../../plan';
import type { Deps } from '../../runtime/Deps';
import type { Spec } from '../../spec';
import { diffStage } from './diffStage';
import { failuresOf } from './failuresOf';
import { forecastStage } from './forecastStage';
import { loadStageBatches } from './loadStageBatches';
import { measureStage } from './measureStage';
import { recheckDeterminism } from './recheckDeterminism';
import type { PlannedStage } from '../PlannedStage';
import { summarizeRules } from './summarizeRules';

export interface ValidateStageInput {
  readonly runId: string;
  readonly spec: Spec;
  readonly plan: Pick<PlanResult, 'manifestBucket' | 'manifestKey'>;
  readonly stage: PlannedStage;
}

/** What tests replace: the transform registry (a planted transform) and the price table. */
export interface ValidateStageOptions {
  readonly transformOf?: (id: string) => Transform;
  readonly prices?: PriceTable;
}

/** The evidence written, and where. */
export interface WrittenEvidence {
  readonly evidence: StageEvidence;
  readonly evidenceKey: string;
  readonly evidenceHtmlKey: string;
}

/**
 * Computes a finished stage's evidence from what it did — counts and change ratio, determinism
 * re-check, the transform's rules, per-attribute diff and golden check, forecast — and writes it
 * as JSON and as an HTML fragment to the evidence area. It decides nothing in the ledger; see
 * {@link gateStage}. In a dry-run the same evidence comes from the shadow snapshots.
 *
 * @throws StageIncompleteError when a batch of the stage is not DONE.
 * @example
 *   const { evidence, evidenceKey } = await validateStage(deps, { runId, spec, plan, stage });
 *   evidence.passed; // false: evidence.failures says why
 */
export async function validateStage(deps: Deps, input: ValidateStageInput, options: ValidateStageOptions = {}): Promise<WrittenEvidence> {
  const { runId, spec, plan, stage } = input;
  const transform = (options.transformOf ?? getTransform)(spec.transform);
  const prices = options.prices ?? loadPriceTable();
  const { doneItems, records, failed, remaining } = await loadStageBatches(deps, runId, plan, stage);
  const counts = records.reduce((sum, record) => addCounts(sum, record.counts ?? ZERO_COUNTS), ZERO_COUNTS);
  const changeRatio = changeRatioGate(counts, spec.validation?.expectedChangePercent);
  const [determinism, { diff, golden }] = await Promise.all([
    recheckDeterminism(deps, { runId, spec, transform, kind: stage.kind }, doneItems, records),
    diffStage(deps, { runId, spec }, records),
  ]);
  const rules = summarizeRules(transform, records, spec.validation?.sampleSize ?? 20);
  const measured = measureStage(records, spec, prices);
  const failedBatches = { batches: failed, stageBatches: stage.batchCount };
  const failures = failuresOf({ changeRatio, determinism, rules, golden, failedBatches });
  const evidence: StageEvidence = {
    version: 1,
    runId,
    stage: { name: stage.name, kind: stage.kind, index: stage.index, firstBatch: stage.firstBatch, batchCount: stage.batchCount, cumulativePercent: stage.cumulativePercent },
    mode: spec.mode,
    transform: transformId(transform),
    target: spec.target.tableName,
    createdAt: new Date(deps.clock.nowMs()).toISOString(),
    passed: failures.length === 0,
    failures,
    counts,
    ...(failed.length === 0 ? {} : { failedBatches: failed }),
    changeRatio,
    determinism,
    rules,
    diff,
    ...(golden === undefined ? {} : { golden }),
    measured: { batches: measured.batches, records: measured.records, elapsedMs: measured.elapsedMs, usage: measured.usage },
    forecast: forecastStage(measured, remaining, spec, prices),
  };
  const where = { runId, stageName: stage.name };
  const keys = { evidenceKey: evidenceKey(where), evidenceHtmlKey: evidenceHtmlKey(where) };
  await Promise.all([
    put(deps, keys.evidenceKey, `${JSON.stringify(evidence, null, 2)}\n`, 'application/json'),
    put(deps, keys.evidenceHtmlKey, renderEvidenceHtml(evidence), 'text/html; charset=utf-8'),
  ]);
  return { evidence, ...keys };
}

async function put(deps: Pick<Deps, 'clients' | 'artifactsBucket'>, key: string, body: string, contentType: string): Promise<void> {
  await deps.clients.s3.send(new PutObjectCommand({ Bucket: deps.artifactsBucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body), ContentType: contentType }));
}
