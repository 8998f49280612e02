import type { PackageEvent } from '../awsLocalStepFunctions';
import { EventCallbackError } from '../errors';
import type { HistoryEventBody } from '../types';
import { stateEntered, stateExited, taskEnded, taskScheduledAndStarted, taskSubmitted, taskSucceeded, type ScheduledTask, type TaskResourceKind } from './historyDetails';

/** The history of one attempt of one Task state; each end is recorded once, later ones are ignored. */
export interface TaskAttemptHistory {
  /** `...Scheduled` + `...Started`, with the parameters the resource gets. */
  scheduled(task: ScheduledTask): void;
  /** `TaskSubmitted` (callback Tasks: the resource answered, the token is awaited). */
  submitted(output: unknown): void;
  succeeded(output: unknown): void;
  /** `...Failed`, or `...TimedOut` for a timeout error name. */
  failed(error: string, cause: string): void;
}

interface OpenAttempt {
  readonly history: TaskAttemptHistory;
  scheduled: boolean;
}

const COMPOSITE_TYPES = new Set(['Map', 'Parallel']);
// The state types GetExecutionHistory has an `...StateAborted` event for.
const ABORTABLE_TYPES = new Set(['Task', 'Map', 'Parallel', 'Wait']);

/**
 * Turns one parent execution into AWS-shaped history events (GetExecutionHistory's types and
 * details members) and hands each to the listener at once; nothing is kept but the Task attempts
 * and Map/Parallel states currently open.
 *
 * Two sources feed it: aws-local-stepfunctions' event log (state entered/exited, inline Map
 * iterations, Parallel branches) and the engine's own Task and Map Run code (Task*, LambdaFunction*,
 * MapRun*). The log is read asynchronously, so before a Task records anything it awaits
 * {@link caughtUp}: every log event already dispatched (its StateEntered among them) is delivered first.
 *
 * @example
 *   const history = new HistoryRecorder((event) => events.push(event), () => abort.abort());
 *   // runMachine(..., { onLogEvent: (event) => history.logEvent(event) }); Task wrappers call history.beginTask(...)
 *   history.close(outcome.status === 'ABORTED');
 */
export class HistoryRecorder {
  /** Set when the listener threw; the execution is then stopped and runExecution throws it. */
  failure: EventCallbackError | undefined;
  private readonly openAttempts = new Map<string, OpenAttempt[]>();
  private readonly composites = new Map<string, { started: boolean; failed: boolean }>();
  // States entered and not exited yet, in entry order: what a stopped execution aborts.
  private readonly openStates: Array<{ readonly type: string; readonly name: string }> = [];
  private closed = false;

  // Names of the distributed Map states, which the package runs (and logs) as Tasks.
  private readonly distributedMapStates = new Set<string>();

  constructor(
    private readonly listener: (event: HistoryEventBody) => void,
    private readonly onFailure: () => void,
  ) {}

  /** Tells the recorder that this state is a distributed Map (logged as a Task by the package). */
  markDistributedMap(stateName: string): void {
    this.distributedMapStates.add(stateName);
  }

  emit(event: HistoryEventBody): void {
    if (this.failure || this.closed) return;
    try {
      this.listener(event);
    } catch (error) {
      this.failure = new EventCallbackError(error, 'onHistoryEvent');
      this.onFailure();
    }
  }

  /**
   * Resolves once the log events dispatched so far have been delivered. The package queues them and
   * its async generator hands them over in microtasks (nested Map/Parallel logs too), all of which
   * run before the next macrotask.
   */
  caughtUp(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Task attempts whose end is not recorded yet (bounded by the Tasks running now). */
  get openAttemptCount(): number {
    let count = 0;
    for (const attempts of this.openAttempts.values()) count += attempts.length;
    return count;
  }

  /** Opens the history of one Task attempt. */
  beginTask(stateName: string, kind: TaskResourceKind): TaskAttemptHistory {
    const attempts = this.openAttempts.get(stateName) ?? [];
    this.openAttempts.set(stateName, attempts);
    let closed = false;
    // An attempt that failed before it was scheduled (a bad TimeoutSecondsPath) is forgotten without an event.
    const close = (event: HistoryEventBody) => {
      if (closed) return;
      closed = true;
      attempts.splice(attempts.indexOf(open), 1);
      if (attempts.length === 0) this.openAttempts.delete(stateName);
      if (open.scheduled) this.emit(event);
    };
    const history: TaskAttemptHistory = {
      scheduled: (task) => {
        if (open.scheduled) return;
        open.scheduled = true;
        for (const event of taskScheduledAndStarted(kind, task)) this.emit(event);
      },
      submitted: (output) => {
        if (!closed && open.scheduled) this.emit(taskSubmitted(kind, output));
      },
      succeeded: (output) => close(taskSucceeded(kind, output)),
      failed: (error, cause) => close(taskEnded(kind, error, cause)),
    };
    const open: OpenAttempt = { history, scheduled: false };
    attempts.push(open);
    return history;
  }

  /**
   * Ends the history: with `aborted`, first one `...StateAborted` per Task, Map, Parallel or Wait
   * state still open, innermost first (what StopExecution leaves). Later events (a handler that
   * returns after the stop) are dropped: the caller has closed the history with its Execution* event.
   */
  close(aborted: boolean): void {
    if (aborted) {
      for (const state of [...this.openStates].reverse()) if (ABORTABLE_TYPES.has(state.type)) this.emit({ type: `${state.type}StateAborted` });
    }
    this.closed = true;
  }

  /** One aws-local-stepfunctions log event of the parent (nested inline Map / Parallel events included). */
  logEvent(event: PackageEvent): void {
    switch (event.type) {
      case 'StateEntered': {
        const type = this.typeOf(event.state);
        if (COMPOSITE_TYPES.has(type)) this.composites.set(event.state.name, { started: false, failed: false });
        this.openStates.push({ type, name: event.state.name });
        this.emit(stateEntered(type, event.state.name, event.state.input));
        return;
      }
      case 'StateExited': {
        const type = this.typeOf(event.state);
        if (COMPOSITE_TYPES.has(type)) this.closeComposite(type, event.state.name);
        this.forgetOpenState(event.state.name);
        this.emit(stateExited(type, event.state.name, event.state.output));
        return;
      }
      case 'StateFailed':
        // Not open while failed: a retry or a catch opens it again (a caught state then exits).
        this.forgetOpenState(event.state.name);
        this.stateFailed(this.typeOf(event.state), event.state.name, event.Error, event.Cause);
        return;
      case 'StateRetried': {
        const composite = this.composites.get(event.state.name);
        if (composite) composite.failed = false;
        this.openStates.push({ type: this.typeOf(event.state), name: event.state.name });
        return;
      }
      case 'StateCaught':
        this.openStates.push({ type: this.typeOf(event.state), name: event.state.name });
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        this.startComposite('Map', event.parentState.name);
        const member = `mapIteration${event.type.slice('MapIteration'.length)}EventDetails`;
        this.emit({ type: event.type, [member]: { name: event.parentState.name, index: event.index } });
        return;
      }
      case 'ParallelBranchStarted':
        this.startComposite('Parallel', event.parentState.name);
        return;
      default:
        // Execution* events are the caller's to record; Parallel branch ends have no AWS event.
        return;
    }
  }

  private forgetOpenState(name: string): void {
    const open = this.openStates.findLastIndex((state) => state.name === name);
    if (open >= 0) this.openStates.splice(open, 1);
  }

  private typeOf(state: { readonly name: string; readonly type: string }): string {
    return state.type === 'Task' && this.distributedMapStates.has(state.name) ? 'Map' : state.type;
  }

  private stateFailed(type: string, name: string, error: string, cause: unknown): void {
    const causeText = typeof cause === 'string' ? cause : JSON.stringify(cause);
    if (type === 'Task' && (error === 'States.Timeout' || error === 'States.HeartbeatTimeout')) {
      // The package timed the Task out itself (TimeoutSeconds of a non-callback Task): the handler never ended it.
      this.openAttempts.get(name)?.find((attempt) => attempt.scheduled)?.history.failed(error, causeText);
      return;
    }
    const composite = this.composites.get(name);
    if (!COMPOSITE_TYPES.has(type) || !composite || composite.failed) return;
    this.startComposite(type, name);
    composite.failed = true;
    this.emit({ type: `${type}StateFailed` });
  }

  /** `MapStateStarted` / `ParallelStateStarted`, once per entry (the distributed Map records its own, with the item count). */
  startComposite(type: string, name: string, details?: Record<string, unknown>): void {
    const composite = this.composites.get(name);
    if (!composite || composite.started) return;
    composite.started = true;
    this.emit({ type: `${type}StateStarted`, ...(type === 'Map' ? { mapStateStartedEventDetails: details ?? {} } : {}) });
  }

  private closeComposite(type: string, name: string): void {
    const composite = this.composites.get(name);
    this.startComposite(type, name);
    if (composite && !composite.failed) this.emit({ type: `${type}StateSucceeded` });
    this.composites.delete(name);
  }
}
