import type { HistoryEventBody } from '../../../engine';
import type { ExecutionStore } from '../store/ExecutionStore';
import type { ExecutionRecord, StoredHistoryEvent } from './ExecutionRecord';

/**
 * One execution's history: numbers and stamps each event (`id` from 1, `previousEventId` the event
 * before it, as a linear history reads on AWS) and keeps it in the store. Once sealed (the execution
 * closed), later events - a stopped execution's tasks winding down - are dropped, as on AWS.
 */
export class History {
  private readonly events: StoredHistoryEvent[];
  private sealed = false;

  constructor(
    private readonly store: ExecutionStore,
    private readonly record: () => ExecutionRecord,
    private readonly nowMs: () => number,
    kept: readonly StoredHistoryEvent[] = [],
  ) {
    this.events = [...kept];
  }

  /** Adds an event (stamped now, or at `atMs`) unless the history is sealed; returns whether it was added. */
  add(body: HistoryEventBody, atMs?: number): boolean {
    if (this.sealed) return false;
    const id = this.events.length + 1;
    const event: StoredHistoryEvent = { ...body, id, previousEventId: id - 1, timestampMs: atMs ?? this.nowMs(), type: body.type };
    this.events.push(event);
    this.store.appendEvent(this.record(), event);
    return true;
  }

  /** Adds the closing event and drops every later one. */
  close(body: HistoryEventBody, atMs?: number): void {
    this.add(body, atMs);
    this.seal();
  }

  /** Drops every later event (the server abandons the execution). */
  seal(): void {
    this.sealed = true;
  }

  list(): readonly StoredHistoryEvent[] {
    return this.events;
  }
}
