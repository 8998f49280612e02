import type {
  SendTaskFailureInput,
  SendTaskFailureOutput,
  SendTaskHeartbeatInput,
  SendTaskHeartbeatOutput,
  SendTaskSuccessInput,
  SendTaskSuccessOutput,
} from '@aws-sdk/client-sfn';
import { TaskDoesNotExistError, TaskTimedOutError } from './errors';
import { FailureSchema, HeartbeatSchema, SuccessSchema, TOKEN_PREFIX, checkTokenForm, parseOutput, parseRequest } from './taskTokenRequests';
import { TokenSigner } from './signedTokens';
import { systemTimers, type TaskTimers } from './TaskTimers';

/** How a waiting task ended, as the callback Task state sees it. */
export type TaskOutcome =
  | { readonly kind: 'succeeded'; readonly output: unknown }
  | { readonly kind: 'failed'; readonly error: string; readonly cause: string }
  | { readonly kind: 'timed-out'; readonly limit: 'TimeoutSeconds' | 'HeartbeatSeconds'; readonly seconds: number }
  | { readonly kind: 'closed'; readonly reason: string };

export interface TaskWaitRequest {
  readonly stateName: string;
  /** Whole wait; absent = until the execution ends (AWS: up to the execution's one-year limit). */
  readonly timeoutSeconds?: number;
  /** Longest gap allowed between the start and a heartbeat, or two heartbeats. */
  readonly heartbeatSeconds?: number;
}

/** One issued token and the wait it ends. `outcome` never rejects. */
export interface PendingTask {
  readonly token: string;
  readonly outcome: Promise<TaskOutcome>;
  /** Closes the token without an answer (the task failed otherwise); no-op once settled. */
  close(reason: string): void;
}

/** The tokens of one execution (its Map Run children included), closed together when it ends or is stopped. */
export interface ExecutionTokens {
  issue(request: TaskWaitRequest): PendingTask;
  closeAll(reason: string): void;
}

export interface TaskTokensOptions {
  /** Times TimeoutSeconds and HeartbeatSeconds. @default systemTimers */
  readonly timers?: TaskTimers;
  /** Epoch milliseconds, for the issue time signed into each token. @default Date.now */
  readonly now?: () => number;
  /**
   * Closed tokens whose state name and close reason are kept for TaskTimedOut messages. An older
   * closed token still gets TaskTimedOut (its signature proves it was issued here), with less detail.
   * @default 1000
   */
  readonly closedTokensKept?: number;
}

interface OpenTask {
  readonly stateName: string;
  settle(outcome: TaskOutcome, closedReason: string): void;
  heartbeat(): void;
}

const DEFAULT_CLOSED_TOKENS_KEPT = 1000;

/**
 * The task tokens of local executions: issues one opaque, unguessable token per attempt of a
 * `.waitForTaskToken` Task, ends the wait on `SendTaskSuccess` / `SendTaskFailure`, extends it on
 * `SendTaskHeartbeat`, and times it out after `TimeoutSeconds` / `HeartbeatSeconds`. The three
 * `send*` methods take and return the Step Functions API's shapes and throw its error codes as
 * `name` (`TaskDoesNotExist`, `TaskTimedOut`, `InvalidToken`, `InvalidOutput`, `ValidationException`),
 * so a local API server can forward them as they are. Share one instance between executions.
 *
 * @example
 *   const taskTokens = new TaskTokens();
 *   const taskHandlers = { [approvalFunctionArn]: async (event) => { pending.push(event.token); return {}; } };
 *   const run = runExecution({ definition, input, executionName, taskHandlers, taskTokens, s3 });
 *   // ... later, from the approval page:
 *   taskTokens.sendTaskSuccess({ taskToken: pending[0], output: JSON.stringify({ approved: true }) });
 */
export class TaskTokens {
  private readonly open = new Map<string, OpenTask>();
  // The most recently closed tokens, oldest first, for the state and reason in a late answer's
  // TaskTimedOut. Older ones are forgotten; their signature still proves they were issued here.
  private readonly closed = new Map<string, { stateName: string; reason: string }>();
  private readonly timers: TaskTimers;
  private readonly now: () => number;
  private readonly closedTokensKept: number;
  private readonly signer = new TokenSigner(TOKEN_PREFIX);

  constructor(options: TaskTokensOptions = {}) {
    this.timers = options.timers ?? systemTimers;
    this.now = options.now ?? Date.now;
    this.closedTokensKept = options.closedTokensKept ?? DEFAULT_CLOSED_TOKENS_KEPT;
  }

  /** How many tokens are held in memory: open ones (their tasks wait) and recently closed ones (at most `closedTokensKept`). */
  get remembered(): { readonly open: number; readonly closed: number } {
    return { open: this.open.size, closed: this.closed.size };
  }

  /** SendTaskSuccess: `output` is the task's result as a JSON text. Returns `{}` like the API. */
  sendTaskSuccess(input: SendTaskSuccessInput): SendTaskSuccessOutput {
    const request = parseRequest(SuccessSchema, input, 'SendTaskSuccess');
    const token = checkTokenForm(request.taskToken);
    const output = parseOutput(request.output);
    this.find(token).settle({ kind: 'succeeded', output }, 'SendTaskSuccess was already received');
    return {};
  }

  /** SendTaskFailure: the Task fails with `error` (absent: empty) and `cause`, which Retry/Catch see. */
  sendTaskFailure(input: SendTaskFailureInput): SendTaskFailureOutput {
    const request = parseRequest(FailureSchema, input, 'SendTaskFailure');
    const token = checkTokenForm(request.taskToken);
    this.find(token).settle({ kind: 'failed', error: request.error ?? '', cause: request.cause ?? '' }, 'SendTaskFailure was already received');
    return {};
  }

  /** SendTaskHeartbeat: restarts the task's HeartbeatSeconds; accepted (and a no-op) when it has none. */
  sendTaskHeartbeat(input: SendTaskHeartbeatInput): SendTaskHeartbeatOutput {
    const request = parseRequest(HeartbeatSchema, input, 'SendTaskHeartbeat');
    const token = checkTokenForm(request.taskToken);
    this.find(token).heartbeat();
    return {};
  }

  /** For the engine: opens the token scope of one execution. @internal */
  openExecution(): ExecutionTokens {
    const tokens = new Set<string>();
    let closedReason: string | undefined;
    return {
      issue: (request) => {
        const pending = this.issue(request);
        tokens.add(pending.token);
        void pending.outcome.then(() => tokens.delete(pending.token));
        if (closedReason !== undefined) pending.close(closedReason);
        return pending;
      },
      closeAll: (reason) => {
        closedReason ??= reason;
        for (const token of [...tokens]) this.open.get(token)?.settle({ kind: 'closed', reason }, reason);
      },
    };
  }

  private issue(request: TaskWaitRequest): PendingTask {
    const token = this.signer.issue(this.now());
    let resolve: (outcome: TaskOutcome) => void = () => {};
    const promise = new Promise<TaskOutcome>((settle) => (resolve = settle));
    const cancels: Array<() => void> = [];
    let cancelHeartbeat = () => {};
    const armHeartbeat = () => {
      if (request.heartbeatSeconds === undefined) return;
      const seconds = request.heartbeatSeconds;
      cancelHeartbeat = this.timers.setTimer(seconds * 1000, () =>
        task.settle({ kind: 'timed-out', limit: 'HeartbeatSeconds', seconds }, `no heartbeat within HeartbeatSeconds ${seconds}`),
      );
    };
    const task: OpenTask = {
      stateName: request.stateName,
      settle: (outcome, closedReason) => {
        if (!this.open.delete(token)) return;
        this.remember(token, { stateName: request.stateName, reason: closedReason });
        cancelHeartbeat();
        for (const cancel of cancels) cancel();
        resolve(outcome);
      },
      heartbeat: () => {
        cancelHeartbeat();
        armHeartbeat();
      },
    };
    this.open.set(token, task);
    if (request.timeoutSeconds !== undefined) {
      const seconds = request.timeoutSeconds;
      cancels.push(this.timers.setTimer(seconds * 1000, () => task.settle({ kind: 'timed-out', limit: 'TimeoutSeconds', seconds }, `timed out after TimeoutSeconds ${seconds}`)));
    }
    armHeartbeat();
    return { token, outcome: promise, close: (reason) => task.settle({ kind: 'closed', reason }, reason) };
  }

  /** The open task of a token, or the AWS error for a closed or unknown one. */
  private find(token: string): OpenTask {
    const task = this.open.get(token);
    if (task) return task;
    const closed = this.closed.get(token);
    if (closed) throw new TaskTimedOutError(token, closed.stateName, closed.reason);
    const issuedAt = this.signer.issuedAt(token);
    if (issuedAt === undefined) throw new TaskDoesNotExistError(token);
    throw new TaskTimedOutError(token, undefined, `closed; issued ${new Date(issuedAt).toISOString()}, its details are no longer kept`);
  }

  private remember(token: string, closed: { stateName: string; reason: string }): void {
    this.closed.set(token, closed);
    // A Map keeps insertion order: the first key is the oldest closed token.
    if (this.closed.size > this.closedTokensKept) this.closed.delete(this.closed.keys().next().value as string);
  }
}
