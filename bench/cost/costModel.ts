import type { ApiUsage } from '../metering/ApiMeter';
import type { FunctionUsage } from '../metering/LambdaMeter';
import type { PriceTable } from '../../lambdas/lib/cost/priceTable';

/** What one measured run did: the inputs of every cost figure. */
export interface RunUsage {
  readonly records: number;
  readonly batches: number;
  /** Target items the run wrote (created included): the items that actually changed. */
  readonly changedItems: number;
  /** Target keys whose pre-images the run read (one per recomputed item). */
  readonly keysRead: number;
  readonly targetTable: string;
  readonly api: ApiUsage;
  /** Billable transitions of the parent execution (StateEntered + StateRetried). */
  readonly parentTransitions: number;
  readonly expressChildren: number;
  /** Transitions inside the children (not billed for EXPRESS; the naive design's STANDARD children would pay them). */
  readonly childTransitions: number;
  /** Sum of the children's wall-clock durations, ms. */
  readonly childDurationMs: number;
  readonly lambdas: Readonly<Record<string, FunctionUsage>>;
}

export type Service = 'DynamoDB' | 'Step Functions' | 'Lambda' | 'S3';

export interface CostLine {
  readonly service: Service;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
  /** Paid once per run whatever its size (not scaled when projecting to a million records). */
  readonly perRun?: boolean;
}

export interface CostBreakdown {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
}

const line = (service: Service, item: string, quantity: number, unit: string, unitPrice: number, perRun = false): CostLine => ({
  service,
  item,
  quantity,
  unit,
  usd: quantity * unitPrice,
  ...(perRun ? { perRun } : {}),
});
const breakdown = (lines: CostLine[]): CostBreakdown => ({ lines: lines.filter((l) => l.quantity > 0), totalUsd: lines.reduce((sum, l) => sum + l.usd, 0) });

/** S3 requests of a run by price class. */
export function s3RequestClasses(api: ApiUsage, prices: PriceTable): { putClass: number; getClass: number; free: number } {
  const classes = { putClass: 0, getClass: 0, free: 0 };
  for (const [name, count] of Object.entries(api.requests)) {
    if (!name.startsWith('S3.')) continue;
    const operation = name.slice(3);
    if (prices.s3.freeOperations.includes(operation)) classes.free += count;
    else if (prices.s3.putClassOperations.includes(operation)) classes.putClass += count;
    else classes.getClass += count;
  }
  return classes;
}

/** Lambda GB-seconds of one function: each invocation rounded up to the billing step, at the configured memory. */
export function lambdaGbSeconds(durationsMs: readonly number[], memoryMb: number, stepMs: number): number {
  const billedMs = durationsMs.reduce((sum, ms) => sum + Math.max(stepMs, Math.ceil(ms / stepMs) * stepMs), 0);
  return (billedMs / 1000) * (memoryMb / 1024);
}

/**
 * EXPRESS children's GB-seconds: each child billed in 100 ms steps at 64 MB. A child runs one
 * worker invocation, so each child's duration is its worker call plus the engine's mean overhead
 * per child; if retries make the calls outnumber the children, every child is billed the mean.
 */
export function expressGbSeconds(usage: RunUsage, prices: PriceTable): number {
  const { expressDurationStepMs: step, expressMemoryMb, expressMemoryStepMb } = prices.stepFunctions;
  const memoryGb = (Math.ceil(expressMemoryMb / expressMemoryStepMb) * expressMemoryStepMb) / 1024;
  const children = usage.expressChildren;
  if (children === 0) return 0;
  const calls = usage.lambdas.worker?.durationsMs ?? [];
  const billed = (ms: number) => Math.max(step, Math.ceil(ms / step) * step);
  let billedMs: number;
  if (calls.length === children) {
    const overhead = Math.max(0, (usage.childDurationMs - calls.reduce((a, b) => a + b, 0)) / children);
    billedMs = calls.reduce((sum, ms) => sum + billed(ms + overhead), 0);
  } else {
    billedMs = children * billed(usage.childDurationMs / children);
  }
  return (billedMs / 1000) * memoryGb;
}

function dynamoLines(usage: RunUsage, prices: PriceTable, ledgerScale = 1): CostLine[] {
  const lines: CostLine[] = [];
  for (const [table, capacity] of Object.entries(usage.api.dynamodb)) {
    const scale = table === usage.targetTable ? 1 : ledgerScale;
    const role = table === usage.targetTable ? 'target' : 'ledger';
    lines.push(line('DynamoDB', `${role} writes (${table})`, (capacity.writeUnits + capacity.conditionalFailureWriteUnits) * scale, 'write units', prices.dynamodb.writeRequestUnit));
    lines.push(line('DynamoDB', `${role} reads (${table})`, capacity.readUnits * scale, 'read units', prices.dynamodb.readRequestUnit));
  }
  return lines;
}

function s3Lines(usage: RunUsage, prices: PriceTable, scale = 1): CostLine[] {
  const { putClass, getClass } = s3RequestClasses(usage.api, prices);
  return [
    line('S3', 'PUT, LIST requests', putClass * scale, 'requests', prices.s3.putCopyPostListRequest),
    line('S3', 'GET and other requests', getClass * scale, 'requests', prices.s3.getAndOtherRequest),
  ];
}

function lambdaLines(usage: RunUsage, prices: PriceTable, workerRequests?: number): CostLine[] {
  const lines: CostLine[] = [];
  for (const [name, fn] of Object.entries(usage.lambdas)) {
    const memoryMb = prices.functions.memoryMb[name];
    if (memoryMb === undefined) throw new Error(`lambdas/lib/cost/prices.json names no memory size for the function ${name}; add it under functions.memoryMb`);
    const requests = name === 'worker' && workerRequests !== undefined ? workerRequests : fn.invocations;
    lines.push(line('Lambda', `${name} requests`, requests, 'requests', prices.lambda.request));
    lines.push(line('Lambda', `${name} duration (${memoryMb} MB)`, lambdaGbSeconds(fn.durationsMs, memoryMb, prices.lambda.durationStepMs), 'GB-s', prices.lambda.gbSecondArm64));
  }
  return lines;
}

/** What the measured run would cost on AWS: every request it made, priced. */
export function costOfRun(usage: RunUsage, prices: PriceTable): CostBreakdown {
  const sfn = prices.stepFunctions;
  return breakdown([
    ...dynamoLines(usage, prices),
    line('Step Functions', 'parent state transitions', usage.parentTransitions, 'transitions', sfn.standardStateTransition, true),
    line('Step Functions', 'child starts (one transition each)', usage.expressChildren, 'transitions', sfn.standardStateTransition),
    line('Step Functions', 'express child requests', usage.expressChildren, 'requests', sfn.expressRequest),
    line('Step Functions', 'express child duration (64 MB, 100 ms steps)', expressGbSeconds(usage, prices), 'GB-s', sfn.expressGbSecond),
    ...lambdaLines(usage, prices),
    ...s3Lines(usage, prices),
  ]);
}

/**
 * The floor no design can avoid: writing the items that changed (their measured write units) and
 * reading their pre-images once, eventually consistent. Derived from the writes, not from the run's
 * reads, so the floor does not move when the design reads differently. Nothing else: no ledger, no
 * snapshots, no orchestration.
 */
export function floorCost(usage: RunUsage, prices: PriceTable): CostBreakdown {
  return breakdown([floorWrites(usage, prices), eventualReads('pre-image reads of the changed items (eventually consistent)', usage.changedItems, usage, prices)]);
}

/**
 * The floor plus reading every key once, eventually consistent: what any design pays that learns
 * by reading which items changed (the floor reads only the changed ones, which it cannot know).
 */
export function readEveryKeyFloorCost(usage: RunUsage, prices: PriceTable): CostBreakdown {
  return breakdown([floorWrites(usage, prices), eventualReads('reads of every key once (eventually consistent)', usage.keysRead, usage, prices)]);
}

function floorWrites(usage: RunUsage, prices: PriceTable): CostLine {
  return line('DynamoDB', 'writes of the changed items', usage.api.dynamodb[usage.targetTable]?.writeUnits ?? 0, 'write units', prices.dynamodb.writeRequestUnit);
}

/** A read unit covers 4 KB and a write unit 1 KB: an item's read units are its write units ÷ 4, rounded up (the run's average item). */
function eventualReads(item: string, keys: number, usage: RunUsage, prices: PriceTable): CostLine {
  const writeUnits = usage.api.dynamodb[usage.targetTable]?.writeUnits ?? 0;
  const readUnitsPerItem = usage.changedItems > 0 ? Math.max(1, Math.ceil(writeUnits / usage.changedItems / 4)) : 1;
  return line('DynamoDB', item, keys * readUnitsPerItem * prices.dynamodb.eventuallyConsistentReadFactor, 'read units', prices.dynamodb.readRequestUnit);
}

/**
 * The naive design, modelled from the same run: one STANDARD child execution and one Lambda call
 * per record. Each record then pays a child start and the child's transitions, a Lambda request,
 * and the per-batch ledger and S3 requests (a batch of one); target reads and writes and the
 * workers' total compute stay as measured (a lower bound).
 */
export function naiveCost(usage: RunUsage, prices: PriceTable): CostBreakdown {
  const sfn = prices.stepFunctions;
  const perBatch = usage.batches > 0 ? usage.records / usage.batches : 1;
  const transitionsPerChild = usage.expressChildren > 0 ? usage.childTransitions / usage.expressChildren : 1;
  return breakdown([
    ...dynamoLines(usage, prices, perBatch),
    line('Step Functions', 'parent state transitions', usage.parentTransitions, 'transitions', sfn.standardStateTransition, true),
    line('Step Functions', 'standard children: one start + its states per record', usage.records * (1 + transitionsPerChild), 'transitions', sfn.standardStateTransition),
    ...lambdaLines(usage, prices, usage.records),
    ...s3Lines(usage, prices, perBatch),
  ]);
}

/** A run's breakdown projected to a run of one million records: per-run lines once, the rest scaled. */
export function perMillionRecords(cost: CostBreakdown, records: number): CostBreakdown {
  const scale = 1_000_000 / records;
  return breakdown(cost.lines.map((l) => (l.perRun ? l : { ...l, quantity: l.quantity * scale, usd: l.usd * scale })));
}

/**
 * The same run as if `share` of its records had changed instead of the measured share: target
 * writes and the floor's changed items scale with the share; worker and child durations scale
 * only in the part of their time the writes take (`writeTimeShare`, e.g. the run's CPU ratio to
 * the floor); reads, ledger, S3 and orchestration stay as measured. A first-order projection,
 * for showing how the ratio to the floor depends on how much a bug fix changes.
 */
export function atChangedShare(usage: RunUsage, share: number, writeTimeShare: number): RunUsage {
  const measured = usage.changedItems / usage.records;
  if (!(measured > 0)) return usage;
  const scale = share / measured;
  const timeScale = 1 - Math.min(1, writeTimeShare) + Math.min(1, writeTimeShare) * scale;
  const target = usage.api.dynamodb[usage.targetTable];
  const dynamodb = target ? { ...usage.api.dynamodb, [usage.targetTable]: { ...target, writeUnits: target.writeUnits * scale } } : usage.api.dynamodb;
  const worker = usage.lambdas.worker;
  return {
    ...usage,
    changedItems: usage.changedItems * scale,
    api: { ...usage.api, dynamodb },
    childDurationMs: usage.childDurationMs * timeScale,
    lambdas: worker ? { ...usage.lambdas, worker: { ...worker, durationsMs: worker.durationsMs.map((ms) => ms * timeScale) } } : usage.lambdas,
  };
}
