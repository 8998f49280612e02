import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { childExecutionArn, childStateMachineArn, mapRunArn as buildMapRunArn } from '../arns';
import { EngineError, EventCallbackError, StatesError } from '../errors';
import type { ContextObject } from '../jsonPath';
import type { PreparedMachine } from '../prepareMachine';
import { runMachine } from '../runMachine';
import type { HistoryRecorder } from '../history/HistoryRecorder';
import type { StatsCollector } from '../StatsCollector';
import type { AslState, EngineEvent, MapRunProgress } from '../types';
import { buildChildInputs } from './batchItems';
import { toResultEntry, type ChildRecord } from './childResults';
import { FailureThreshold } from './FailureThreshold';
import { resolveMapRunConfig } from './mapRunConfig';
import { readItems } from './readItems';
import { resolveResultWriterTarget, writeResults } from './writeResults';

/** What every Map Run of one execution shares. */
export interface MapRunDependencies {
  readonly s3: S3Client;
  readonly stats: StatsCollector;
  readonly stateMachineName: string;
  readonly retryIntervalOverrides?: Readonly<Record<string, number | readonly number[]>>;
  readonly onEvent?: (event: EngineEvent) => void;
  /** Aborted when the whole execution is aborted. */
  readonly signal: AbortSignal;
  /** The parent's history, when this Map state is part of it. */
  readonly history?: HistoryRecorder;
}

/** The replaced Map Task passes `{ input: $, context: $$ }` (see prepareMachine). */
interface MapTaskParameters {
  readonly input: unknown;
  readonly context: ContextObject;
}

/**
 * Runs one distributed Map state as a Map Run: reads the items, applies ItemSelector and
 * ItemBatcher, starts one child execution of the ItemProcessor per child input with at most
 * MaxConcurrency in flight, fails the run with `States.ExceedToleratedFailureThreshold` once the
 * tolerated failures are exceeded (no new child starts, running ones finish), exports through
 * the ResultWriter, and returns the Map's output: `{ MapRunArn, ResultWriterDetails }` with a
 * ResultWriter, else the children's outputs in item order (a failed child's entry is its
 * exported record, as AWS does).
 */
export async function runMapRun(deps: MapRunDependencies, stateName: string, state: AslState, child: PreparedMachine, parameters: unknown): Promise<unknown> {
  const { input, context } = parameters as MapTaskParameters;
  await deps.history?.caughtUp();
  const config = resolveMapRunConfig(stateName, state, input, context);
  const writerTarget = state.ResultWriter === undefined ? undefined : resolveResultWriterTarget(stateName, state, input, context);
  const items = await readItems(stateName, state, input, context, deps.s3);
  const childInputs = buildChildInputs(stateName, state, items, input, context);

  const mapRunId = randomUUID();
  const mapRunArn = buildMapRunArn(deps.stateMachineName, config.label, mapRunId);
  const childMachineArn = childStateMachineArn(deps.stateMachineName, config.label);
  const threshold = new FailureThreshold(items.length, config.toleratedFailurePercentage, config.toleratedFailureCount);
  const children: ChildRecord[] = childInputs.map((c, index) => ({ index, input: c.input, itemCount: c.itemCount, status: 'PENDING' }));
  const progress = { totalItems: items.length, totalChildren: children.length, started: 0, running: 0, succeeded: 0, failed: 0, failedItems: 0 };
  let thresholdExceeded = false;
  let engineFailure: EngineError | undefined;
  const stopStarting = () => thresholdExceeded || engineFailure !== undefined || deps.signal.aborted;

  const emit = (event: EngineEvent) => {
    if (!deps.onEvent || engineFailure) return;
    try {
      deps.onEvent(event);
    } catch (error) {
      engineFailure = new EventCallbackError(error);
    }
  };
  const snapshot = (): MapRunProgress => ({ ...progress });
  const base = () => ({ stateName, mapRunArn, progress: snapshot() });

  const runChild = async (record: ChildRecord) => {
    const name = randomUUID();
    record.name = name;
    record.arn = childExecutionArn(config.executionType, deps.stateMachineName, config.label, mapRunId, name);
    record.status = 'RUNNING';
    progress.started += 1;
    progress.running += 1;
    deps.stats.childStarted(config.executionType);
    const run = await runMachine(child, record.input, {
      context: { Execution: { Id: record.arn, Name: name }, StateMachine: { Id: childMachineArn, Name: `${deps.stateMachineName}/${config.label}` } },
      executionName: name,
      transitions: deps.stats.childTransitions(config.executionType),
      stats: deps.stats,
      retryIntervalOverrides: deps.retryIntervalOverrides,
      signal: deps.signal,
    });
    progress.running -= 1;
    record.startedAt = run.startDate.getTime();
    record.stoppedAt = run.stopDate.getTime();
    if (run.engineError) {
      engineFailure ??= run.engineError;
      record.status = 'ABORTED';
    } else if (run.status === 'ABORTED') {
      record.status = 'ABORTED';
    } else if (run.status === 'SUCCEEDED') {
      record.status = 'SUCCEEDED';
      record.output = run.output;
      progress.succeeded += 1;
      emit({ kind: 'child-succeeded', ...base(), childIndex: record.index, itemCount: record.itemCount });
    } else {
      // A timed-out child counts as failed, like on AWS.
      record.status = 'FAILED';
      record.error = run.error;
      record.cause = run.cause;
      progress.failed += 1;
      progress.failedItems += record.itemCount;
      thresholdExceeded ||= threshold.isExceededBy(progress.failedItems);
      emit({ kind: 'child-failed', ...base(), childIndex: record.index, itemCount: record.itemCount, error: run.error ?? 'States.Runtime', cause: run.cause ?? '' });
    }
    deps.stats.childEnded(config.executionType, record.status === 'SUCCEEDED' ? 'SUCCEEDED' : record.status === 'FAILED' ? 'FAILED' : 'ABORTED', run.stopDate.getTime() - run.startDate.getTime());
  };

  deps.history?.startComposite('Map', stateName, { length: items.length });
  deps.history?.emit({ type: 'MapRunStarted', mapRunStartedEventDetails: { mapRunArn } });
  emit({ kind: 'map-run-started', ...base(), executionType: config.executionType, maxConcurrency: config.maxConcurrency });
  let next = 0;
  const worker = async () => {
    while (next < children.length && !stopStarting()) await runChild(children[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(config.maxConcurrency, children.length) }, worker));

  const status = deps.signal.aborted || engineFailure ? 'ABORTED' : thresholdExceeded ? 'FAILED' : 'SUCCEEDED';
  let output: unknown;
  if (status !== 'ABORTED') {
    const entries = (wanted: ChildRecord['status']) => children.filter((c) => c.status === wanted).map((c) => toResultEntry(c, childMachineArn, config.executionType));
    output = writerTarget
      ? await writeResults(deps.s3, writerTarget, mapRunId, mapRunArn, { SUCCEEDED: entries('SUCCEEDED'), FAILED: entries('FAILED'), PENDING: entries('PENDING') })
      : children.map((c) => (c.status === 'SUCCEEDED' ? c.output : toResultEntry(c, childMachineArn, config.executionType)));
  }
  deps.stats.mapRunEnded({
    stateName,
    mapRunArn,
    executionType: config.executionType,
    status,
    itemCount: items.length,
    batchCount: children.length,
    maxConcurrency: config.maxConcurrency,
    childrenSucceeded: progress.succeeded,
    childrenFailed: progress.failed,
    failedItems: progress.failedItems,
    childrenNotStarted: children.length - progress.started,
    ...(writerTarget && output ? { resultManifest: `s3://${writerTarget.bucket}/${(output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails.Key}` } : {}),
  });
  emit({ kind: 'map-run-finished', ...base(), status });
  deps.history?.emit(
    status === 'SUCCEEDED'
      ? { type: 'MapRunSucceeded' }
      : status === 'FAILED'
        ? { type: 'MapRunFailed', mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold', cause: threshold.describe(progress.failedItems) } }
        : { type: 'MapRunAborted' },
  );

  if (engineFailure) throw engineFailure;
  if (status === 'ABORTED') throw new StatesError('States.Aborted', 'The execution was aborted while the Map Run was running', true);
  if (status === 'FAILED') throw new StatesError('States.ExceedToleratedFailureThreshold', threshold.describe(progress.failedItems));
  return output;
}
