import type { ExecutionStats } from '../../local/engine';
import type { RunUsage } from '../cost/costModel';
import { usageSince, emptyUsage, type ApiUsage } from '../metering/ApiMeter';
import type { FunctionUsage } from '../metering/LambdaMeter';

/** The meters read when the rest of a staged run began (the first wave's Map entered). */
export interface RestStartReading {
  readonly api: { readonly total: ApiUsage; readonly byFunction: Readonly<Record<string, ApiUsage>> };
  /** Invocations per function so far (LambdaMeter.snapshot). */
  readonly invocations: Readonly<Record<string, number>>;
}

/** The whole run as the meters saw it at its end. */
export interface WholeRunReading {
  readonly records: number;
  readonly batches: number;
  readonly written: number;
  readonly produced: number;
  readonly engine: ExecutionStats;
  readonly api: ApiUsage;
  readonly apiByFunction: Readonly<Record<string, ApiUsage>>;
  /** The invocations after the rest began (LambdaMeter.since). */
  readonly lambdasAfter: Readonly<Record<string, FunctionUsage>>;
  /** Every worker invocation of the run, for the EXPRESS children's mean overhead. */
  readonly allWorkerDurationsMs: readonly number[];
}

/** What the canary (with everything before the rest) did, from its evidence. */
export interface CanaryPart {
  readonly records: number;
  readonly batches: number;
  readonly written: number;
  readonly produced: number;
}

/** The rest of a staged run as the cost model sees it: all of it, and its workers' part alone. */
export interface RestUsage {
  /** Every request, function call and parent transition after the rest began. */
  readonly all: RunUsage;
  /** Only what the worker invocations did (their requests, calls and EXPRESS children): what the forecast scales. */
  readonly workers: RunUsage;
}

const WORKER = 'worker';

/**
 * Splits a metered staged run at the start of its rest: the API requests, function calls and
 * parent transitions after that moment, in the cost model's terms. EXPRESS children are not
 * timed one by one: the rest's children are its worker calls' share of all children, each
 * billed as its worker call plus the run's mean engine overhead per child.
 * @example
 *   const rest = restUsageOf(whole, atRestStart, canaryPart, timeline.restTransitions, 'order-summaries');
 *   costOfRun(rest.all, prices).totalUsd; // what the rest of the run cost
 */
export function restUsageOf(whole: WholeRunReading, atRestStart: RestStartReading, canary: CanaryPart, restTransitions: number, targetTable: string): RestUsage {
  const express = whole.engine.childExecutions.EXPRESS;
  const allWorkerMs = whole.allWorkerDurationsMs.reduce((a, b) => a + b, 0);
  const workerCalls = whole.allWorkerDurationsMs.length;
  const restWorker = whole.lambdasAfter[WORKER] ?? { invocations: 0, durationsMs: [] };
  const restWorkerMs = restWorker.durationsMs.reduce((a, b) => a + b, 0);
  const children = workerCalls === 0 ? 0 : Math.round((express.started * restWorker.invocations) / workerCalls);
  const overheadPerChild = express.started === 0 ? 0 : Math.max(0, (express.durationMs - allWorkerMs) / express.started);
  const common = {
    records: whole.records - canary.records,
    batches: whole.batches - canary.batches,
    changedItems: whole.written - canary.written,
    keysRead: whole.produced - canary.produced,
    targetTable,
    expressChildren: children,
    childTransitions: express.started === 0 ? 0 : Math.round((express.stateTransitions * children) / express.started),
    childDurationMs: restWorkerMs + children * overheadPerChild,
  };
  const workerApi = usageSince(whole.apiByFunction[WORKER] ?? emptyUsage(), atRestStart.api.byFunction[WORKER] ?? emptyUsage());
  return {
    all: { ...common, api: usageSince(whole.api, atRestStart.api.total), parentTransitions: restTransitions, lambdas: whole.lambdasAfter },
    workers: { ...common, api: workerApi, parentTransitions: 0, lambdas: { [WORKER]: restWorker } },
  };
}
