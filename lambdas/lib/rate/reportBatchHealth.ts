import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit } from '../ledger/audit';
import { isConditionalCheckFailed } from '../ledger/isConditionalCheckFailed';
import { DEFAULT_AIMD_RULE, nextConcurrency, type AimdRule } from './aimd';
import { CONTROLLER_ACTOR, controllerKey, readController, type ConcurrencyChange, type ControllerRecord } from './controllerRecord';
import { MapRunUpdateError } from './errors';
import { recordChange, type ControllerDeps } from './recordChange';
import { runningMapRun, setMapRunConcurrency } from './runningMapRun';

export interface BatchHealthReport {
  readonly runId: string;
  /** The parent execution (`$$.Execution.Id`), whose running Map Run is steered. */
  readonly executionArn: string;
  /** Throttled attempts the batch saw on its target table. */
  readonly throttles: number;
  /** When the batch ended (ISO 8601). */
  readonly at: string;
  /** spec.maxConcurrency: where the controller starts and the most it raises to. */
  readonly maxConcurrency: number;
}

export interface BatchHealthAnswer {
  /** The controller as it stands after this report (the winner's, when another worker changed it at once). */
  readonly controller: ControllerRecord;
  /** The change this report made, if it made one. */
  readonly change?: ConcurrencyChange;
}

/**
 * A batch's health, reported to the run's AIMD controller (see {@link nextConcurrency}) after the
 * batch: throttles halve the concurrency, a healthy spell raises it by one. A change is a
 * conditional update of the controller record (on its version: of workers reporting at once, one
 * wins; the others get the winner's record), audited `ConcurrencyChanged`, then applied to the
 * execution's running Map Run by UpdateMapRun. One consistent read per report; a write only on a
 * change or a throttled batch.
 * @throws MapRunUpdateError when Step Functions refuses the UpdateMapRun (the record has the change).
 * @example
 *   const { controller, change } = await reportBatchHealth(deps, { runId, executionArn, throttles: outcome.health.throttles, at, maxConcurrency: spec.maxConcurrency });
 */
export async function reportBatchHealth(deps: ControllerDeps, report: BatchHealthReport, rule: AimdRule = DEFAULT_AIMD_RULE): Promise<BatchHealthAnswer> {
  const controller = (await readController(deps, report.runId)) ?? (await createController(deps, report));
  const decision = nextConcurrency(controller, report, rule);
  if (!decision) {
    if (report.throttles > 0) await noteThrottle(deps, report);
    return { controller };
  }
  // The running Map Run, whichever it is: a worker of a Map Run started since the last change (the
  // next stage, a re-run) brought it to the controller's concurrency when it started (followRunningMapRun).
  const mapRunArn = await runningMapRun(deps.clients.sfn, report.executionArn);
  const change: ConcurrencyChange = { at: report.at, from: controller.concurrency, to: decision.to, why: decision.why, ...(mapRunArn ? { mapRunArn } : {}) };
  const changed = await recordChange(deps, controller, change, { throttled: report.throttles > 0, steersMapRun: true });
  if (!changed) return { controller: (await readController(deps, report.runId)) ?? controller };
  await appendAudit(deps, { runId: report.runId, type: 'ConcurrencyChanged', actor: CONTROLLER_ACTOR, detail: { ...change, throttles: report.throttles } });
  if (mapRunArn && change.to !== change.from) {
    try {
      await setMapRunConcurrency(deps.clients.sfn, report.runId, mapRunArn, change.to);
    } catch (error) {
      throw new MapRunUpdateError(report.runId, mapRunArn, change.to, { cause: error });
    }
  }
  return { controller: changed, change };
}

async function createController(deps: ControllerDeps, report: BatchHealthReport): Promise<ControllerRecord> {
  const record: ControllerRecord = { runId: report.runId, concurrency: report.maxConcurrency, maxConcurrency: report.maxConcurrency, createdAt: report.at, changes: [], version: 0 };
  try {
    await deps.clients.ddb.send(new PutCommand({ TableName: deps.ledgerTable, Item: { ...controllerKey(report.runId), ...record }, ConditionExpression: 'attribute_not_exists(pk)' }));
    return record;
  } catch (error) {
    // Another worker's first report created it at once: theirs stands.
    if (!isConditionalCheckFailed(error)) throw error;
    return (await readController(deps, report.runId))!;
  }
}

/** Keeps the latest throttle's time (the healthy spell starts again), unless a later one is there. */
async function noteThrottle(deps: ControllerDeps, report: BatchHealthReport): Promise<void> {
  try {
    await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: controllerKey(report.runId),
        UpdateExpression: 'SET lastThrottleAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastThrottleAt) OR lastThrottleAt < :at)',
        ExpressionAttributeValues: { ':at': report.at },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
