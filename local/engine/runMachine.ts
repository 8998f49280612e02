import { ExecutionError, ExecutionTimeoutError, type PackageEvent, type RunOptions } from './awsLocalStepFunctions';
import { EngineError } from './errors';
import type { ContextObject } from './jsonPath';
import type { PreparedMachine } from './prepareMachine';
import type { StatsCollector, TransitionCounter } from './StatsCollector';
import type { ExecutionStatus } from './types';

export interface MachineRunOptions {
  /** Context object fields besides `Execution.Input`/`StartTime`, which aws-local-stepfunctions sets itself. */
  readonly context: ContextObject;
  /** `parent` or the child's name; where payload sizes are attributed. */
  readonly executionName: string;
  readonly transitions: TransitionCounter;
  readonly stats: StatsCollector;
  readonly retryIntervalOverrides?: Readonly<Record<string, number | readonly number[]>>;
  readonly signal?: AbortSignal;
  /** Every package log event, in order (the parent's history reads them). */
  readonly onLogEvent?: (event: PackageEvent) => void;
}

/** How one execution (parent or child) ended. */
export interface MachineRun {
  readonly status: ExecutionStatus;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate: Date;
  /** Set when the engine itself failed inside the execution; the caller must rethrow it. */
  readonly engineError?: EngineError;
}

/**
 * Runs one prepared machine to its end and reads its event log as it goes: every `StateEntered`
 * and `StateRetried` is one transition, every state input (`StateEntered`) and output
 * (`StateExited`) is measured. Events are dropped once counted, so memory stays flat.
 * Never throws for an execution failure.
 */
export async function runMachine(prepared: PreparedMachine, input: unknown, options: MachineRunOptions): Promise<MachineRun> {
  const startDate = new Date();
  const execution = prepared.machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: prepared.handlers as NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers'],
      retryIntervalOverrides: options.retryIntervalOverrides as Record<string, number | number[]> | undefined,
    },
    context: options.context as RunOptions['context'],
    noThrowOnAbort: true,
  });
  let settled = false;
  let aborted = false;
  const onAbort = () => {
    if (settled) return;
    aborted = true;
    execution.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const eventsRead = readEvents(execution.eventLogs, options);

  let run: Omit<MachineRun, 'startDate' | 'stopDate'>;
  try {
    const output: unknown = await execution.result;
    run = aborted ? { status: 'ABORTED' } : { status: 'SUCCEEDED', output };
  } catch (error) {
    run = asFailedRun(error);
  } finally {
    settled = true;
    options.signal?.removeEventListener('abort', onAbort);
  }
  await eventsRead;
  return { ...run, startDate, stopDate: new Date() };
}

function asFailedRun(error: unknown): Omit<MachineRun, 'startDate' | 'stopDate'> {
  if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution ran longer than the definition TimeoutSeconds' };
  if (!(error instanceof ExecutionError)) throw error;
  const failure = error.cause;
  if (failure instanceof EngineError) return { status: 'FAILED', engineError: failure };
  if (failure instanceof Error) return { status: 'FAILED', error: failure.name, cause: failure.message };
  return { status: 'FAILED', error: 'States.Runtime', cause: String(failure) };
}

async function readEvents(events: AsyncGenerator<PackageEvent>, options: MachineRunOptions): Promise<void> {
  const { stats, transitions, executionName, onLogEvent } = options;
  for await (const event of events) {
    onLogEvent?.(event);
    if (event.type === 'StateEntered') {
      transitions.add(1);
      stats.observePayload(event.state.input, { stateName: event.state.name, executionName, direction: 'input' });
    } else if (event.type === 'StateRetried') {
      transitions.add(1);
    } else if (event.type === 'StateExited') {
      stats.observePayload(event.state.output, { stateName: event.state.name, executionName, direction: 'output' });
    }
  }
}
