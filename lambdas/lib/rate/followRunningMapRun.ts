import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit } from '../ledger/audit';
import { isConditionalCheckFailed } from '../ledger/isConditionalCheckFailed';
import { asControllerRecord, CONTROLLER_ACTOR, controllerKey, readController, type ConcurrencyChange, type ControllerRecord } from './controllerRecord';
import { MapRunUpdateError } from './errors';
import { recordChange, type ControllerDeps } from './recordChange';
import { runningMapRun, setMapRunConcurrency } from './runningMapRun';

export interface MapRunToFollow {
  readonly runId: string;
  /** The parent execution (`$$.Execution.Id`), whose running Map Run is steered. */
  readonly executionArn: string;
  /** spec.maxConcurrency: what a Map Run starts at (its MaxConcurrencyPath). */
  readonly maxConcurrency: number;
  /** Now (ISO 8601). */
  readonly at: string;
}

export interface FollowedMapRun {
  /** The controller after this call; undefined before the run's first batch reported. */
  readonly controller?: ControllerRecord;
  /** The most children the running Map Run may run now: what a worker's share of the write ceiling is sized at. */
  readonly concurrencyInForce: number;
}

/**
 * Brings a Map Run that started since the controller last steered one (the next stage, a re-run
 * after a resume) from the spec's maxConcurrency, which it starts at, down to the controller's
 * concurrency; called as each worker starts. Of the workers starting at once one wins (the change
 * is conditional on the record's version), audits `ConcurrencyChanged` and sends UpdateMapRun; only
 * then does the record name the Map Run as steered. Every worker that started before (the winner
 * too) sizes its share at the Map Run's maxConcurrency; one that starts after, at the controller's
 * (the Map Run starts it only when fewer than that run, so the ceiling holds for all of them).
 * @throws MapRunUpdateError when Step Functions refuses the UpdateMapRun (the next worker tries again).
 * @example
 *   const { concurrencyInForce } = await followRunningMapRun(deps, { runId, executionArn, maxConcurrency: spec.maxConcurrency, at });
 */
export async function followRunningMapRun(deps: ControllerDeps, target: MapRunToFollow): Promise<FollowedMapRun> {
  const controller = await readController(deps, target.runId);
  // No report yet: nothing has cut the Map Run below its maxConcurrency.
  if (!controller) return { concurrencyInForce: target.maxConcurrency };
  const mapRunArn = await runningMapRun(deps.clients.sfn, target.executionArn);
  if (mapRunArn === undefined || mapRunArn === controller.mapRunArn || controller.concurrency >= target.maxConcurrency) {
    return { controller, concurrencyInForce: controller.mapRunArn === mapRunArn ? controller.concurrency : Math.max(controller.concurrency, target.maxConcurrency) };
  }
  // Claimed by another worker: it applies the update; until it has, the Map Run may run maxConcurrency children.
  if (controller.pendingMapRunArn === mapRunArn) return { controller, concurrencyInForce: target.maxConcurrency };
  const change: ConcurrencyChange = { at: target.at, from: target.maxConcurrency, to: controller.concurrency, why: 'a new Map Run started at maxConcurrency: set to the controller\'s', mapRunArn };
  const claimed = await recordChange(deps, controller, change, { throttled: false, steersMapRun: false });
  if (!claimed) {
    // Another worker applies it; until it has, the Map Run may still run maxConcurrency children.
    const current = (await readController(deps, target.runId)) ?? controller;
    return { controller: current, concurrencyInForce: Math.max(current.concurrency, target.maxConcurrency) };
  }
  await appendAudit(deps, { runId: target.runId, type: 'ConcurrencyChanged', actor: CONTROLLER_ACTOR, detail: { ...change, throttles: 0 } });
  try {
    await setMapRunConcurrency(deps.clients.sfn, target.runId, mapRunArn, change.to);
  } catch (error) {
    // Unclaimed again, so the next worker to start tries the update itself.
    await markSteered(deps, claimed, mapRunArn, 'REMOVE pendingMapRunArn');
    throw new MapRunUpdateError(target.runId, mapRunArn, change.to, { cause: error });
  }
  // This worker started while the Map Run ran at maxConcurrency, as did up to maxConcurrency others still
  // running: its share stays at that. Workers started from now on see the Map Run steered and take the controller's.
  const inForce = target.maxConcurrency;
  const steered = await markSteered(deps, claimed, mapRunArn);
  if (steered) return { controller: steered, concurrencyInForce: inForce };
  // A report changed the concurrency meanwhile; its UpdateMapRun may have landed before this one: set it again.
  const current = (await readController(deps, target.runId)) ?? claimed;
  await setMapRunConcurrency(deps.clients.sfn, target.runId, mapRunArn, current.concurrency).catch((error: unknown) => {
    throw new MapRunUpdateError(target.runId, mapRunArn, current.concurrency, { cause: error });
  });
  return { controller: current, concurrencyInForce: inForce };
}

/** Names the Map Run as steered (or, given `update`, only drops the claim), unless the record changed since the claim (undefined then). */
async function markSteered(deps: ControllerDeps, claimed: ControllerRecord, mapRunArn: string, update = 'SET mapRunArn = :mapRunArn REMOVE pendingMapRunArn'): Promise<ControllerRecord | undefined> {
  try {
    const { Attributes } = await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: controllerKey(claimed.runId),
        UpdateExpression: update,
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ...(update.includes(':mapRunArn') ? { ':mapRunArn': mapRunArn } : {}), ':version': claimed.version },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return asControllerRecord(Attributes!);
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}
