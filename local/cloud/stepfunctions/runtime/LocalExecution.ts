import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { runExecution, type EngineEvent, type NestedExecutions, type TaskTokens } from '../../../engine';
import { closedRecord, closingEvent, closingOf, type Closing } from '../model/closingEvents';
import type { ClosedStatus, ExecutionRecord, OwedStatusChange } from '../model/ExecutionRecord';
import { History } from '../model/History';
import type { ExecutionStore, StoredExecution } from '../store/ExecutionStore';
import type { LocalStateMachine } from '../types';
import { closingOfOutcome, forwardEngineEvent, trackedHandlers } from './engineRun';
import type { InFlight } from './InFlight';
import type { MapRunRegistry } from './MapRunRegistry';
import type { StatusChangeNotifier } from './StatusChangeNotifier';

/** Longest wait after StopExecution for the engine's `...StateAborted` events before the history closes anyway. */
const STOP_GRACE_MS = 5_000;

/** What every execution of one server shares. */
export interface ExecutionDeps {
  readonly store: ExecutionStore;
  readonly nowMs: () => number;
  readonly notifier: StatusChangeNotifier;
  readonly mapRuns: MapRunRegistry;
  readonly inFlight: InFlight;
  readonly s3: S3Client;
  readonly taskTokens: TaskTokens;
  readonly onEngineEvent?: (executionArn: string, event: EngineEvent) => void;
  readonly log: (line: string) => void;
  /** Runs the nested executions of `states:startExecution.sync` Tasks (the server's own Executions). */
  readonly nestedExecutions?: NestedExecutions;
}

/** How an execution ended, as `waitForExecution` reports it. */
export interface ClosedExecution {
  readonly status: ClosedStatus;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * One execution: its record and history (kept in the store) and its run on the local engine.
 * Closing writes the closing event, then the record with its status-change event owed (the
 * outbox), then delivers that event and clears it from the record.
 */
export class LocalExecution {
  readonly history: History;
  private current: ExecutionRecord;
  private abort = new AbortController();
  private abandoned = false;
  /** Kept RUNNING from an earlier process and not run by this one (see {@link hold}). */
  private held = false;
  private stopping?: { readonly closing: Closing; readonly timer: NodeJS.Timeout };
  private resolveClosed: (closed: ClosedExecution) => void = () => undefined;
  private readonly closed = new Promise<ClosedExecution>((resolve) => (this.resolveClosed = resolve));

  private constructor(
    private readonly deps: ExecutionDeps,
    record: ExecutionRecord,
    kept: StoredExecution['history'],
  ) {
    this.current = record;
    this.history = new History(deps.store, () => this.current, deps.nowMs, kept);
  }

  /** A new execution: written RUNNING with its ExecutionStarted event before anything runs. */
  static create(deps: ExecutionDeps, record: ExecutionRecord, roleArn: string): LocalExecution {
    const execution = new LocalExecution(deps, record, []);
    deps.store.saveRecord(record);
    execution.history.add({ type: 'ExecutionStarted', executionStartedEventDetails: { input: record.input, inputDetails: { truncated: false }, roleArn } });
    void deps.notifier.notify(record);
    return execution;
  }

  /**
   * An execution read back from the store. A record left RUNNING whose history has its closing
   * event (the process died between the two writes) is closed from that event, its status-change
   * event owed; a closed record whose history is not closed (the process died while a stopped
   * execution wound down) gets its closing event, stamped with its stop date.
   */
  static restore(deps: ExecutionDeps, stored: StoredExecution): LocalExecution {
    const execution = new LocalExecution(deps, stored.record, stored.history);
    const lastEvent = stored.history.at(-1);
    const closing = closingOf(lastEvent);
    if (stored.record.status === 'RUNNING' && closing && lastEvent) {
      execution.current = execution.owing(closedRecord(stored.record, closing, lastEvent.timestampMs));
      deps.store.saveRecord(execution.current);
    } else if (stored.record.status !== 'RUNNING' && !closing) {
      execution.history.close(closingEvent(closedOf(stored.record)), stored.record.stopDateMs);
    }
    if (execution.current.status !== 'RUNNING') execution.resolveClosed(closedOf(execution.current));
    return execution;
  }

  get record(): ExecutionRecord {
    return this.current;
  }

  get isOpen(): boolean {
    return this.current.status === 'RUNNING' && !this.abandoned;
  }

  /** Resolves when it closes, after its status-change event was delivered. */
  whenClosed(): Promise<ClosedExecution> {
    return this.closed;
  }

  /** Runs it on the engine (in the background); the outcome closes it. */
  run(machine: LocalStateMachine): void {
    void this.runOnEngine(machine);
  }

  /** Started again from its first state after the server stopped under it: recorded as a redrive. */
  redrive(machine: LocalStateMachine): void {
    const redriveCount = this.current.redriveCount + 1;
    this.current = { ...this.current, redriveCount, redriveDateMs: this.deps.nowMs() };
    this.deps.store.saveRecord(this.current);
    this.history.add({ type: 'ExecutionRedriven', executionRedrivenEventDetails: { redriveCount } });
    void this.deps.notifier.notify(this.current);
    this.run(machine);
  }

  /**
   * Left RUNNING as the earlier process left it, not run (the server's `restartRunningExecutions:
   * false`): nothing is written unless StopExecution ends it.
   */
  hold(): void {
    this.held = true;
  }

  /**
   * StopExecution: the record is ABORTED at once with the given error and cause, and the engine
   * stops behind it. The history closes (ExecutionAborted, then the status-change event) once the
   * engine has recorded its `...StateAborted` events, as on AWS; at most {@link STOP_GRACE_MS} later.
   * Returns the stop date.
   */
  stop(error: string | undefined, cause: string | undefined): number {
    if (this.isOpen) {
      const closing: Closing = { status: 'ABORTED', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
      this.current = this.owing(closedRecord(this.current, closing, this.deps.nowMs()));
      this.deps.store.saveRecord(this.current);
      const timer = setTimeout(() => this.endStop(), STOP_GRACE_MS);
      timer.unref();
      this.stopping = { closing, timer };
      this.abort.abort();
      // No engine runs a held execution, so no `...StateAborted` event will come: close it now.
      if (this.held) this.endStop();
    }
    return this.current.stopDateMs ?? this.deps.nowMs();
  }

  /** Closes it as FAILED without running it (e.g. its state machine is gone). */
  fail(error: string, cause: string): void {
    if (this.isOpen) this.close({ status: 'FAILED', error, cause });
  }

  /** The server closes: the engine stops, nothing more is recorded, the record stays RUNNING. */
  abandon(): void {
    this.endStop();
    if (!this.isOpen) return;
    this.abandoned = true;
    this.history.seal();
    this.abort.abort();
  }

  private async runOnEngine(machine: LocalStateMachine): Promise<void> {
    const { deps } = this;
    const executionArn = this.current.executionArn;
    let closing: Closing;
    try {
      const outcome = await runExecution({
        definition: machine.definition,
        input: JSON.parse(this.current.input) as unknown,
        executionName: this.current.name,
        stateMachineName: machine.name,
        taskHandlers: trackedHandlers(machine.taskHandlers, deps.inFlight),
        s3: deps.s3,
        signal: this.abort.signal,
        taskTokens: deps.taskTokens,
        onEvent: deps.onEngineEvent ? (event) => forwardEngineEvent(deps.onEngineEvent, deps.log, executionArn, event) : undefined,
        onHistoryEvent: (event) => void this.history.add(event),
        onMapRunStarted: (mapRun) => deps.mapRuns.register(mapRun),
        nestedExecutions: deps.nestedExecutions,
      });
      closing = closingOfOutcome(outcome);
    } catch (error) {
      // The engine could not run the definition faithfully (a missing handler, an unsupported field).
      const failure = error instanceof Error ? error : new Error(String(error));
      deps.log(`execution ${executionArn} failed in the local engine: ${failure.name}: ${failure.message}`);
      closing = { status: 'FAILED', error: failure.name, cause: failure.message };
    }
    if (this.stopping) this.endStop();
    else if (this.isOpen) this.close(closing);
  }

  /** Closes the history of a stopped execution (its record is ABORTED already). */
  private endStop(): void {
    if (!this.stopping) return;
    const { closing, timer } = this.stopping;
    this.stopping = undefined;
    clearTimeout(timer);
    this.history.close(closingEvent(closing));
    this.announceClosed();
  }

  private close(closing: Closing): void {
    this.history.close(closingEvent(closing));
    this.current = this.owing(closedRecord(this.current, closing, this.deps.nowMs()));
    this.deps.store.saveRecord(this.current);
    this.announceClosed();
  }

  private announceClosed(): void {
    const closed = closedOf(this.current);
    void this.deliverOwed().then(() => this.resolveClosed(closed));
  }

  /**
   * Delivers its closing status-change event if the record still owes it (closed just now, or by a
   * process that died before the delivery), then clears it from the record. A failed delivery
   * stays owed until the next start.
   */
  async deliverOwed(): Promise<void> {
    const owed = this.current.owedStatusChange;
    if (!owed) return;
    const delivered = await this.deps.notifier.notify(this.current, owed);
    if (!delivered || this.current.owedStatusChange !== owed) return;
    const { owedStatusChange: _delivered, ...rest } = this.current;
    this.current = rest;
    this.deps.store.saveRecord(this.current);
  }

  /** The closed record with its status-change event owed, to be written in the same save. */
  private owing(record: ExecutionRecord): ExecutionRecord {
    const owed: OwedStatusChange = { id: randomUUID(), timeMs: this.deps.nowMs() };
    return { ...record, owedStatusChange: owed };
  }
}

function closedOf(record: ExecutionRecord): ClosedExecution {
  return {
    status: record.status as ClosedStatus,
    ...(record.output !== undefined ? { output: record.output } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
  };
}
