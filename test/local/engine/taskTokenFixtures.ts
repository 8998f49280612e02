import type { AslDefinition, AslState, TaskTimers } from '../../../local/engine';

/** Timers a test moves by hand: `advance` fires every timer that falls due, in order. */
export class ManualTimers implements TaskTimers {
  private nowMs = 0;
  private sequence = 0;
  private readonly timers = new Map<number, { atMs: number; onFire: () => void }>();

  setTimer(ms: number, onFire: () => void): () => void {
    const id = this.sequence++;
    this.timers.set(id, { atMs: this.nowMs + ms, onFire });
    return () => this.timers.delete(id);
  }

  advance(ms: number): void {
    const targetMs = this.nowMs + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.atMs <= targetMs).sort(([a, x], [b, y]) => x.atMs - y.atMs || a - b)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.nowMs = due[1].atMs;
      due[1].onFire();
    }
    this.nowMs = targetMs;
  }

  get pending(): number {
    return this.timers.size;
  }
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/**
 * A handler that records the events it gets, in order, and lets a test await the next one
 * (the moment a callback Task has issued its token and is waiting), instead of sleeping.
 */
export function recordingHandler(result: unknown = { ignored: true }) {
  const events: Array<Record<string, unknown>> = [];
  const waiting: Array<Deferred<Record<string, unknown>>> = [];
  let taken = 0;
  const slot = (index: number) => (waiting[index] ??= deferred<Record<string, unknown>>());
  return {
    events,
    handler: async (event: unknown) => {
      const index = events.push(event as Record<string, unknown>) - 1;
      slot(index).resolve(event as Record<string, unknown>);
      return result;
    },
    /** The next event not yet taken, once the handler has been called with it. */
    next: (): Promise<Record<string, unknown>> => slot(taken++).promise,
  };
}

export const APPROVE_FN = 'arn:aws:lambda:us-east-1:000000000000:function:request-approval';

/** `lambda:invoke.waitForTaskToken` on APPROVE_FN with the token in `Payload.token`, then Done; Caught and TimedOut (for Catch) set `$.route`. */
export function approvalMachine(task: Record<string, unknown> = {}): AslDefinition {
  return {
    StartAt: 'Approve',
    States: {
      Approve: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: APPROVE_FN, Payload: { 'runId.$': '$.runId', 'token.$': '$$.Task.Token' } },
        ResultPath: '$.decision',
        Next: 'Done',
        ...task,
      } as AslState,
      Done: { Type: 'Succeed' },
      Caught: { Type: 'Pass', Result: 'Caught', ResultPath: '$.route', End: true },
      TimedOut: { Type: 'Pass', Result: 'TimedOut', ResultPath: '$.route', End: true },
    },
  };
}
