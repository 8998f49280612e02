import { MapRunValidationError } from '../errors';
import type { LiveMapRun, MapRunCounts, MapRunDescription, MapRunProgress, MapRunUpdate } from '../types';
import { FailureThreshold } from './FailureThreshold';
import { LOCAL_MAX_CONCURRENCY } from './mapRunConfig';

/** How a child ended, as DescribeMapRun counts it (a timed-out child is `timedOut`, not `failed`). */
export type ChildEnd = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

type Counts = { pending: number; running: number; succeeded: number; failed: number; timedOut: number; aborted: number };

const emptyCounts = (pending: number): Counts => ({ pending, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0 });

export interface MapRunControlOptions {
  readonly mapRunArn: string;
  readonly executionArn: string;
  readonly itemCounts: readonly number[];
  /** As declared: 0 = unlimited. */
  readonly maxConcurrency: number;
  readonly toleratedFailurePercentage?: number;
  readonly toleratedFailureCount?: number;
  /** Called after every accepted update, so the Map Run can start children the new limits allow. */
  readonly onUpdate: () => void;
}

/**
 * The live state of one Map Run: its counts (items and children), its MaxConcurrency and tolerated
 * failure as DescribeMapRun reports them, and UpdateMapRun's changes to them (see {@link LiveMapRun}).
 *
 * @example
 *   const control = new MapRunControl({ mapRunArn, executionArn, itemCounts: [2, 2, 1], maxConcurrency: 1, onUpdate: startChildren });
 *   control.update({ maxConcurrency: 3 }); // startChildren() now may start two more
 *   control.describe().executionCounts; // { pending, running, succeeded, failed, timedOut, aborted, total: 3, resultsWritten }
 */
export class MapRunControl implements LiveMapRun {
  readonly mapRunArn: string;
  readonly executionArn: string;
  private readonly startDate = new Date();
  private stopDate: Date | undefined;
  private status: MapRunDescription['status'] = 'RUNNING';
  private maxConcurrency: number;
  private toleratedFailurePercentage: number | undefined;
  private toleratedFailureCount: number | undefined;
  private readonly items: Counts;
  private readonly children: Counts;
  private readonly totalItems: number;
  // Items and children whose results the ResultWriter exported (0 until it has written them).
  private resultsWritten = { items: 0, children: 0 };

  constructor(private readonly options: MapRunControlOptions) {
    this.mapRunArn = options.mapRunArn;
    this.executionArn = options.executionArn;
    this.maxConcurrency = options.maxConcurrency;
    this.toleratedFailurePercentage = options.toleratedFailurePercentage;
    this.toleratedFailureCount = options.toleratedFailureCount;
    this.totalItems = options.itemCounts.reduce((sum, count) => sum + count, 0);
    this.items = emptyCounts(this.totalItems);
    this.children = emptyCounts(options.itemCounts.length);
  }

  /** Children allowed in flight now: MaxConcurrency, 0 (unlimited) and larger values capped at LOCAL_MAX_CONCURRENCY. */
  get concurrencyLimit(): number {
    return this.maxConcurrency === 0 ? LOCAL_MAX_CONCURRENCY : Math.min(this.maxConcurrency, LOCAL_MAX_CONCURRENCY);
  }

  get running(): number {
    return this.children.running;
  }

  /** The tolerated failure in force now; failed and timed-out items both count. */
  get threshold(): FailureThreshold {
    return new FailureThreshold(this.totalItems, this.toleratedFailurePercentage, this.toleratedFailureCount);
  }

  get failedItems(): number {
    return this.items.failed + this.items.timedOut;
  }

  isThresholdExceeded(): boolean {
    return this.threshold.isExceededBy(this.failedItems);
  }

  childStarted(itemCount: number): void {
    this.move('pending', 'running', itemCount);
  }

  childEnded(itemCount: number, end: ChildEnd): void {
    this.move('running', end === 'SUCCEEDED' ? 'succeeded' : end === 'FAILED' ? 'failed' : end === 'TIMED_OUT' ? 'timedOut' : 'aborted', itemCount);
  }

  /** The ResultWriter has exported every child that ran to an end (succeeded, failed, timed out). */
  resultsExported(): void {
    const ran = (c: Counts) => c.succeeded + c.failed + c.timedOut;
    this.resultsWritten = { items: ran(this.items), children: ran(this.children) };
  }

  ended(status: 'SUCCEEDED' | 'FAILED' | 'ABORTED'): void {
    this.status = status;
    this.stopDate = new Date();
  }

  /** The engine's progress-event view of the counts. */
  progress(): MapRunProgress {
    const c = this.children;
    return {
      totalItems: this.totalItems,
      totalChildren: this.options.itemCounts.length,
      started: c.running + c.succeeded + c.failed + c.timedOut + c.aborted,
      running: c.running,
      succeeded: c.succeeded,
      failed: c.failed + c.timedOut,
      failedItems: this.failedItems,
    };
  }

  describe(): MapRunDescription {
    const counts = (c: Counts, total: number, resultsWritten: number): MapRunCounts => ({ ...c, total, resultsWritten });
    return {
      mapRunArn: this.mapRunArn,
      executionArn: this.executionArn,
      status: this.status,
      startDate: new Date(this.startDate),
      ...(this.stopDate ? { stopDate: new Date(this.stopDate) } : {}),
      maxConcurrency: this.maxConcurrency,
      toleratedFailurePercentage: this.toleratedFailurePercentage ?? 0,
      toleratedFailureCount: this.toleratedFailureCount ?? 0,
      itemCounts: counts(this.items, this.totalItems, this.resultsWritten.items),
      executionCounts: counts(this.children, this.options.itemCounts.length, this.resultsWritten.children),
      redriveCount: 0,
    };
  }

  update(changes: MapRunUpdate): void {
    const { maxConcurrency, toleratedFailurePercentage, toleratedFailureCount } = changes;
    const problems = [
      check('maxConcurrency', maxConcurrency, (v) => Number.isInteger(v) && v >= 0, 'Member must be an integer greater than or equal to 0'),
      check('toleratedFailurePercentage', toleratedFailurePercentage, (v) => v >= 0 && v <= 100, 'Member must have value between 0 and 100'),
      check('toleratedFailureCount', toleratedFailureCount, (v) => Number.isInteger(v) && v >= 0, 'Member must be an integer greater than or equal to 0'),
    ].filter((problem) => problem !== undefined);
    if (problems.length > 0) throw new MapRunValidationError(this.mapRunArn, `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
    if (maxConcurrency === undefined && toleratedFailurePercentage === undefined && toleratedFailureCount === undefined) {
      throw new MapRunValidationError(this.mapRunArn, 'UpdateMapRun needs at least one of maxConcurrency, toleratedFailurePercentage, toleratedFailureCount');
    }
    if (this.status !== 'RUNNING') throw new MapRunValidationError(this.mapRunArn, `Map Run ${this.mapRunArn} has ended (${this.status}); only a RUNNING Map Run can be updated`);
    if (maxConcurrency !== undefined) this.maxConcurrency = maxConcurrency;
    if (toleratedFailurePercentage !== undefined) this.toleratedFailurePercentage = toleratedFailurePercentage;
    if (toleratedFailureCount !== undefined) this.toleratedFailureCount = toleratedFailureCount;
    this.options.onUpdate();
  }

  private move(from: keyof Counts, to: keyof Counts, itemCount: number): void {
    this.items[from] -= itemCount;
    this.items[to] += itemCount;
    this.children[from] -= 1;
    this.children[to] += 1;
  }
}

/** One AWS-style validation message ("Value '-1' at 'maxConcurrency' failed to satisfy constraint: ..."), or undefined. */
function check(field: string, value: number | undefined, valid: (value: number) => boolean, constraint: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && valid(value)) return undefined;
  return `Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`;
}
