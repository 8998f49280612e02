import { randomUUID } from 'node:crypto';
import type { NestedExecutionEnd, NestedExecutionRequest, NestedExecutions } from '../../../engine';
import { executionArn as executionArnOf, stateMachineArn } from '../../../engine/arns';
import { StatesError } from '../../../engine/errors';
import { ExecutionAlreadyExistsError, ExecutionDoesNotExistError } from '../errors';
import type { ExecutionApiStatus } from '../model/ExecutionRecord';
import type { LocalStateMachine } from '../types';
import { LocalExecution, type ExecutionDeps } from './LocalExecution';
import type { StateMachines } from './StateMachines';

/** A StartExecution request after its fields were checked. */
export interface StartRequest {
  readonly machine: LocalStateMachine;
  /** @default - a new UUID */
  readonly name?: string;
  readonly input: string;
}

/**
 * Every execution of the server: starts them (idempotently, as AWS), finds them by ARN, lists
 * them newest first, and brings back those the state dir kept.
 */
export class Executions {
  private readonly byArn = new Map<string, LocalExecution>();
  private nextSeq = 1;

  constructor(
    private readonly deps: ExecutionDeps,
    private readonly machines: StateMachines,
  ) {}

  /**
   * Loads the kept executions, delivers the closing status-change events a previous process owed
   * (it died before delivering them), then starts every one still RUNNING again from its first
   * state (with an ExecutionRedriven event); with `restart: false` those stay RUNNING as they are,
   * not run and not written unless StopExecution ends them. Call once, before serving.
   */
  async restoreKept(restart = true): Promise<void> {
    const running: LocalExecution[] = [];
    const restored: LocalExecution[] = [];
    for (const stored of this.deps.store.load()) {
      const execution = LocalExecution.restore(this.deps, stored);
      this.byArn.set(execution.record.executionArn, execution);
      this.nextSeq = Math.max(this.nextSeq, execution.record.seq + 1);
      restored.push(execution);
      if (execution.isOpen) running.push(execution);
    }
    // Before anything runs again, as EventBridge would have delivered them long before: the handlers see each end in order.
    for (const execution of restored) await execution.deliverOwed();
    for (const execution of running) {
      if (!restart) {
        execution.hold();
        continue;
      }
      const machine = this.machines.find(execution.record.stateMachineName);
      if (machine) execution.redrive(machine);
      else execution.fail('StateMachineDoesNotExist', `the state machine ${execution.record.stateMachineName} is no longer registered, so the execution cannot start again`);
    }
  }

  /**
   * StartExecution: same name and input as an open execution → that execution; a name in use
   * otherwise → ExecutionAlreadyExists.
   */
  start(request: StartRequest): LocalExecution {
    const name = request.name ?? randomUUID();
    const executionArn = executionArnOf(request.machine.name, name);
    const existing = this.byArn.get(executionArn);
    if (existing) {
      if (existing.record.status !== 'RUNNING') throw new ExecutionAlreadyExistsError(executionArn, `it is ${existing.record.status}`);
      if (existing.record.input !== request.input) throw new ExecutionAlreadyExistsError(executionArn, 'it is RUNNING with another input');
      return existing;
    }
    const execution = LocalExecution.create(
      this.deps,
      {
        seq: this.nextSeq++,
        name,
        executionArn,
        stateMachineName: request.machine.name,
        input: request.input,
        status: 'RUNNING',
        startDateMs: this.deps.nowMs(),
        redriveCount: 0,
      },
      request.machine.roleArn,
    );
    this.byArn.set(executionArn, execution);
    execution.run(request.machine);
    return execution;
  }

  /**
   * Runs the nested executions of `states:startExecution.sync` Tasks as this server's own: started
   * like StartExecution (listed and described like any other), waited for, and stopped when the
   * parent stops.
   */
  readonly nested: NestedExecutions = { run: (request) => this.runNested(request) };

  private async runNested(request: NestedExecutionRequest): Promise<NestedExecutionEnd> {
    const machine = this.machines.list().find((candidate) => stateMachineArn(candidate.name) === request.stateMachineArn);
    if (!machine) throw new StatesError('StepFunctions.StateMachineDoesNotExistException', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    const execution = this.start({ machine, input: JSON.stringify(request.input), ...(request.name !== undefined ? { name: request.name } : {}) });
    const stop = () => execution.stop(undefined, 'its parent execution was stopped');
    request.signal.addEventListener('abort', stop, { once: true });
    if (request.signal.aborted) stop();
    try {
      const closed = await execution.whenClosed();
      const { record } = execution;
      return {
        executionArn: record.executionArn,
        stateMachineArn: request.stateMachineArn,
        name: record.name,
        status: closed.status,
        startDate: new Date(record.startDateMs),
        stopDate: new Date(record.stopDateMs ?? this.deps.nowMs()),
        input: request.input,
        ...(closed.output !== undefined ? { output: JSON.parse(closed.output) as unknown } : {}),
        ...(closed.error !== undefined ? { error: closed.error } : {}),
        ...(closed.cause !== undefined ? { cause: closed.cause } : {}),
      };
    } finally {
      request.signal.removeEventListener('abort', stop);
    }
  }

  /** @throws ExecutionDoesNotExistError */
  get(executionArn: string): LocalExecution {
    const execution = this.byArn.get(executionArn);
    if (!execution) throw new ExecutionDoesNotExistError(executionArn);
    return execution;
  }

  /** The executions of a state machine, newest first. */
  list(stateMachineName: string, status?: ExecutionApiStatus): LocalExecution[] {
    return [...this.byArn.values()]
      .filter((execution) => execution.record.stateMachineName === stateMachineName && (status === undefined || execution.record.status === status))
      .sort((a, b) => b.record.seq - a.record.seq);
  }

  /** The server closes: every open execution stops running and stays RUNNING in the store. */
  abandonAll(): void {
    for (const execution of this.byArn.values()) execution.abandon();
  }
}
