import { jsonBytes } from './payloadSize';
import type {
  ChildExecutionStats,
  ChildExecutionType,
  ExecutionStats,
  MapRunSummary,
  PayloadLocation,
} from './types';

/** Where state transitions of one execution are counted. */
export interface TransitionCounter {
  add(count: number): void;
}

type MutableChildStats = { -readonly [K in keyof ChildExecutionStats]: ChildExecutionStats[K] };

function emptyChildStats(): MutableChildStats {
  return { started: 0, succeeded: 0, failed: 0, aborted: 0, durationMs: 0, stateTransitions: 0 };
}

/**
 * Accumulates the numbers of one `runExecution` call: parent and child transitions, child
 * executions, handler invocations, the largest state payload and the Map Runs. Holds counters
 * only, never events, so memory stays flat on long runs.
 */
export class StatsCollector {
  private parentTransitions = 0;
  private readonly children: Record<ChildExecutionType, MutableChildStats> = {
    EXPRESS: emptyChildStats(),
    STANDARD: emptyChildStats(),
  };
  private readonly invocations = new Map<string, number>();
  private maxBytes = 0;
  private maxAt: PayloadLocation | undefined;
  private readonly mapRuns: MapRunSummary[] = [];

  readonly parent: TransitionCounter = { add: (count) => (this.parentTransitions += count) };

  childTransitions(type: ChildExecutionType): TransitionCounter {
    return { add: (count) => (this.children[type].stateTransitions += count) };
  }

  childStarted(type: ChildExecutionType): void {
    this.children[type].started += 1;
  }

  childEnded(type: ChildExecutionType, status: 'SUCCEEDED' | 'FAILED' | 'ABORTED', durationMs: number): void {
    const stats = this.children[type];
    if (status === 'SUCCEEDED') stats.succeeded += 1;
    else if (status === 'FAILED') stats.failed += 1;
    else stats.aborted += 1;
    stats.durationMs += durationMs;
  }

  taskInvoked(resource: string): void {
    this.invocations.set(resource, (this.invocations.get(resource) ?? 0) + 1);
  }

  /** Measures one state input or output and keeps it if it is the largest so far. */
  observePayload(value: unknown, location: PayloadLocation): void {
    const bytes = jsonBytes(value);
    if (bytes > this.maxBytes) {
      this.maxBytes = bytes;
      this.maxAt = location;
    }
  }

  mapRunEnded(summary: MapRunSummary): void {
    this.mapRuns.push(summary);
  }

  snapshot(): ExecutionStats {
    return {
      stateTransitions: this.parentTransitions,
      childExecutions: { EXPRESS: { ...this.children.EXPRESS }, STANDARD: { ...this.children.STANDARD } },
      taskInvocations: Object.fromEntries(this.invocations),
      maxPayloadBytes: this.maxBytes,
      ...(this.maxAt ? { maxPayloadAt: this.maxAt } : {}),
      mapRuns: [...this.mapRuns],
    };
  }
}
