import type { ExecutionRecord, StoredHistoryEvent } from '../model/ExecutionRecord';

/** An execution and its history as read back at start. */
export interface StoredExecution {
  readonly record: ExecutionRecord;
  readonly history: readonly StoredHistoryEvent[];
}

/** Where executions outlive the process; every write is complete or absent after a crash. */
export interface ExecutionStore {
  /** Every kept execution, oldest first. */
  load(): StoredExecution[];
  /** Replaces the execution's record (atomically). */
  saveRecord(record: ExecutionRecord): void;
  /** Appends one event to the execution's history. */
  appendEvent(record: ExecutionRecord, event: StoredHistoryEvent): void;
}

/** No state dir: executions live as long as the server. */
export const memoryOnlyStore: ExecutionStore = {
  load: () => [],
  saveRecord: () => undefined,
  appendEvent: () => undefined,
};
