import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { childExecutionArn, childStateMachineArn, mapRunArn as buildMapRunArn } from '../arns';
import { EngineError, EventCallbackError, StatesError } from '../errors';
import type { HistoryRecorder } from '../history/HistoryRecorder';
import type { ContextObject } from '../jsonPath';
import type { PreparedMachine } from '../prepareMachine';
import { runMachine, type MachineRun } from '../runMachine';
import type { StatsCollector } from '../StatsCollector';
import type { AslState, EngineEvent, LiveMapRun } from '../types';
import { buildChildInputs } from './batchItems';
import { toResultEntry, type ChildRecord } from './childResults';
import { MapRunControl, type ChildEnd } from './MapRunControl';
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
  /** Gets each Map Run's live handle (DescribeMapRun / UpdateMapRun) before its first child starts. */
  readonly onMapRunStarted?: (mapRun: LiveMapRun) => void;
  /** Aborted when the whole execution is aborted. */
  readonly signal: AbortSignal;
  /** The parent's history, when this Map state is part of it. */
  readonly history?: HistoryRecorder;
}

/** The replaced Map Task passes `{ input: $, context: $$ }` (see prepareMachine). */
interface MapTaskParameters {
  readonly input: unknown;
  readonly context: ContextObject & { readonly Execution?: { readonly Id?: string } };
}

/**
 * Runs one distributed Map state as a Map Run: reads the items, applies ItemSelector and
 * ItemBatcher, starts one child execution of the ItemProcessor per child input with at most
 * MaxConcurrency in flight, fails the run with `States.ExceedToleratedFailureThreshold` once the
 * tolerated failures are exceeded (no new child starts, running ones finish), exports through
 * the ResultWriter, and returns the Map's output: `{ MapRunArn, ResultWriterDetails }` with a
 * ResultWriter, else the children's outputs in item order (a failed child's entry is its
 * exported record, as AWS does). MaxConcurrency and the tolerated failure are read again before
 * every child start, so an UpdateMapRun (`onMapRunStarted`'s handle) takes effect at once.
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
  const children: ChildRecord[] = childInputs.map((c, index) => ({ index, input: c.input, itemCount: c.itemCount, status: 'PENDING' }));
  let engineFailure: EngineError | undefined;
  let resolveAllEnded = () => {};
  const allEnded = new Promise<void>((resolve) => (resolveAllEnded = resolve));
  let next = 0;
  const control = new MapRunControl({
    mapRunArn,
    executionArn: context.Execution?.Id ?? '',
    itemCounts: children.map((c) => c.itemCount),
    maxConcurrency: config.declaredMaxConcurrency,
    toleratedFailurePercentage: config.toleratedFailurePercentage,
    toleratedFailureCount: config.toleratedFailureCount,
    onUpdate: () => startChildren(),
  });
  const stopStarting = () => control.isThresholdExceeded() || engineFailure !== undefined || deps.signal.aborted;

  const emit = (event: EngineEvent) => {
    if (!deps.onEvent || engineFailure) return;
    try {
      deps.onEvent(event);
    } catch (error) {
      engineFailure = new EventCallbackError(error);
    }
  };
  const base = () => ({ stateName, mapRunArn, progress: control.progress() });

  const runChild = async (record: ChildRecord) => {
    const name = randomUUID();
    record.name = name;
    record.arn = childExecutionArn(config.executionType, deps.stateMachineName, config.label, mapRunId, name);
    record.status = 'RUNNING';
    control.childStarted(record.itemCount);
    deps.stats.childStarted(config.executionType);
    const run: MachineRun = await runMachine(child, record.input, {
      context: { Execution: { Id: record.arn, Name: name }, StateMachine: { Id: childMachineArn, Name: `${deps.stateMachineName}/${config.label}` } },
      executionName: name,
      transitions: deps.stats.childTransitions(config.executionType),
      stats: deps.stats,
      retryIntervalOverrides: deps.retryIntervalOverrides,
      signal: deps.signal,
    }).catch((error: unknown) => {
      const now = new Date();
      const engineError = error instanceof EngineError ? error : new EngineError(`A child of Map Run ${mapRunArn} failed inside the engine`, { cause: error });
      return { status: 'ABORTED' as const, engineError, startDate: now, stopDate: now };
    });
    record.startedAt = run.startDate.getTime();
    record.stoppedAt = run.stopDate.getTime();
    let end: ChildEnd;
    if (run.engineError) {
      engineFailure ??= run.engineError;
      end = 'ABORTED';
    } else if (run.status === 'ABORTED' || run.status === 'SUCCEEDED') {
      end = run.status;
    } else {
      // A timed-out child fails the Map Run like a failed one, as on AWS; DescribeMapRun counts it as timedOut.
      end = run.status === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED';
      record.error = run.error;
      record.cause = run.cause;
    }
    record.status = end === 'TIMED_OUT' ? 'FAILED' : end;
    control.childEnded(record.itemCount, end);
    if (end === 'SUCCEEDED') {
      record.output = run.output;
      emit({ kind: 'child-succeeded', ...base(), childIndex: record.index, itemCount: record.itemCount });
    } else if (record.status === 'FAILED') {
      emit({ kind: 'child-failed', ...base(), childIndex: record.index, itemCount: record.itemCount, error: run.error ?? 'States.Runtime', cause: run.cause ?? '' });
    }
    deps.stats.childEnded(config.executionType, record.status === 'SUCCEEDED' ? 'SUCCEEDED' : record.status === 'FAILED' ? 'FAILED' : 'ABORTED', run.stopDate.getTime() - run.startDate.getTime());
  };

  // Starts children while the limits in force allow; called at the start, after each child and after each update.
  // Once every child has ended, the Map Run is decided: a later update (while results are written) starts nothing.
  let decided = false;
  function startChildren(): void {
    if (decided) return;
    while (next < children.length && control.running < control.concurrencyLimit && !stopStarting()) {
      void runChild(children[next++]).finally(startChildren);
    }
    if (control.running === 0 && (next === children.length || stopStarting())) {
      decided = true;
      resolveAllEnded();
    }
  }

  deps.history?.startComposite('Map', stateName, { length: items.length });
  deps.history?.emit({ type: 'MapRunStarted', mapRunStartedEventDetails: { mapRunArn } });
  emit({ kind: 'map-run-started', ...base(), executionType: config.executionType, maxConcurrency: config.maxConcurrency });
  try {
    deps.onMapRunStarted?.(control);
  } catch (error) {
    engineFailure ??= new EventCallbackError(error, 'onMapRunStarted');
  }
  startChildren();
  await allEnded;

  const thresholdExceeded = control.isThresholdExceeded();
  const status = deps.signal.aborted || engineFailure ? 'ABORTED' : thresholdExceeded ? 'FAILED' : 'SUCCEEDED';
  let output: unknown;
  if (status !== 'ABORTED') {
    const entries = (wanted: ChildRecord['status']) => children.filter((c) => c.status === wanted).map((c) => toResultEntry(c, childMachineArn, config.executionType));
    output = writerTarget
      ? await writeResults(deps.s3, writerTarget, mapRunId, mapRunArn, { SUCCEEDED: entries('SUCCEEDED'), FAILED: entries('FAILED'), PENDING: entries('PENDING') })
      : children.map((c) => (c.status === 'SUCCEEDED' ? c.output : toResultEntry(c, childMachineArn, config.executionType)));
    if (writerTarget) control.resultsExported();
  }
  control.ended(status);
  const progress = control.progress();
  const cause = control.threshold.describe(progress.failedItems);
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
        ? { type: 'MapRunFailed', mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold', cause } }
        : { type: 'MapRunAborted' },
  );

  if (engineFailure) throw engineFailure;
  if (status === 'ABORTED') throw new StatesError('States.Aborted', 'The execution was aborted while the Map Run was running', true);
  if (status === 'FAILED') throw new StatesError('States.ExceedToleratedFailureThreshold', cause);
  return output;
}
