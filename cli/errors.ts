/**
 * Errors of the operator CLI. Each carries the exit code the top-level printer returns and a message
 * that says what happened, the value seen and what to do.
 */

/** Exit codes of `backfill` (documented in the README's operator section). */
export const EXIT = {
  ok: 0,
  /** The run or rollback ended FAILED / TIMED_OUT, or was refused. */
  failed: 1,
  /** Bad usage or input: an unknown option, a missing --reason, an invalid spec, an unknown run. */
  usage: 2,
  /** The target cannot be reached or refused us: no credentials, access denied, stack not found, local cloud not running. */
  target: 3,
  /** The run finished with tolerated failures, the rollback with conflicts, the rehearsal found problems. */
  partial: 4,
  /** The run was stopped (StopExecution). */
  stopped: 5,
  /** Ctrl-C while watching: the run goes on. */
  interrupted: 130,
} as const;

export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A command line the CLI cannot act on. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
  }
}

/** `--local DIR` names a data dir whose `local up` is not running (no endpoints.json, or its process is gone). */
export class LocalCloudNotRunningError extends CliError {
  override readonly name = 'LocalCloudNotRunningError';
  constructor(
    readonly dataDir: string,
    why: string,
    options?: { cause?: unknown },
  ) {
    super(`the local cloud of ${dataDir} is not running (${why}); start it with \`backfill local up --data-dir ${dataDir}\` in another terminal`, EXIT.target, options);
  }
}

/** `--local DIR`: endpoints.json is there but not what `local up` writes. */
export class LocalEndpointsInvalidError extends CliError {
  override readonly name = 'LocalEndpointsInvalidError';
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file} is not an endpoints file written by \`backfill local up\` (${problem}); stop any local up on that dir, delete the file and start \`backfill local up\` again`, EXIT.target, options);
  }
}

/** `--stack NAME` names no stack in the region. */
export class StackNotFoundError extends CliError {
  override readonly name = 'StackNotFoundError';
  constructor(
    readonly stackName: string,
    readonly region: string,
    options?: { cause?: unknown },
  ) {
    super(`no CloudFormation stack ${stackName} in ${region}; check --stack and --region (\`aws cloudformation list-stacks --region ${region}\`), or deploy it with \`npm run synth\` / \`cdk deploy\``, EXIT.target, options);
  }
}

/** The stack exists but lacks an output the CLI needs (an older or a different stack). */
export class StackOutputsMissingError extends CliError {
  override readonly name = 'StackOutputsMissingError';
  constructor(
    readonly stackName: string,
    readonly missing: readonly string[],
  ) {
    super(`stack ${stackName} has no output ${missing.join(', ')}; is it a backfill stack? Deploy this version of it (\`cdk deploy\`)`, EXIT.target);
  }
}

/** The run named on the command line is not in the target's ledger. */
export class UnknownRunError extends CliError {
  override readonly name = 'UnknownRunError';
  constructor(
    readonly runId: string,
    where: string,
  ) {
    super(`no run ${runId} in the ledger of ${where}; \`backfill list\` shows the runs there`, EXIT.usage);
  }
}

/** An action the run's state does not allow (e.g. resuming a run whose execution still runs). */
export class RunStateError extends CliError {
  override readonly name = 'RunStateError';
  constructor(
    readonly runId: string,
    message: string,
  ) {
    super(message, EXIT.usage);
  }
}

/**
 * `stop` stopped the execution, but the run record is still RUNNING after the deadline: the stack's
 * status-change rule (EventBridge on AWS, `local up` locally) has not marked it. The CLI writes no ledger.
 */
export class RunNotMarkedError extends CliError {
  override readonly name = 'RunNotMarkedError';
  constructor(
    readonly runId: string,
    readonly executionArn: string,
    readonly waitedMs: number,
    where: 'aws' | 'local',
  ) {
    const check =
      where === 'aws'
        ? "check the stack's dead-letter queue ExecutionStatusChanges/DeadLetterQueue (a message there is a run still marked RUNNING) and the ExecutionStatusChange function's logs"
        : "check the output of `backfill local up` (its status-change delivery)";
    super(
      `execution ${executionArn} is stopped (ABORTED) but run ${runId} is still RUNNING in the ledger after ${Math.round(waitedMs / 1000)} s: the status-change rule has not marked it yet; ${check}, then \`backfill stop ${runId} --reason ...\` again waits for it`,
      EXIT.failed,
    );
  }
}

/** A paused run whose execution a restarted local cloud started again has not come back to its wait for the operator. */
export class RunNotWaitingAgainError extends CliError {
  override readonly name = 'RunNotWaitingAgainError';
  constructor(
    readonly runId: string,
    readonly executionArn: string,
    readonly waitedMs: number,
  ) {
    super(
      `run ${runId} is paused and its execution ${executionArn} was started again by the restarted local cloud, but it has not come back to its wait for the operator after ${Math.round(waitedMs / 1000)} s: check the output of \`backfill local up\`, then try again`,
      EXIT.failed,
    );
  }
}

/** A name already used by a closed execution, or by an open one with another input. */
export class ExecutionNameTakenError extends CliError {
  override readonly name = 'ExecutionNameTakenError';
  constructor(
    readonly executionName: string,
    readonly status: string,
    options?: { cause?: unknown },
  ) {
    super(`an execution named ${executionName} already exists (${status}) and Step Functions never reuses a name`, EXIT.usage, options);
  }
}

/** The spec names a source bucket or target table the target does not have: refused before anything starts. */
export class SpecResourceMissingError extends CliError {
  override readonly name = 'SpecResourceMissingError';
  constructor(
    readonly field: 'spec.source.bucket' | 'spec.target.tableName',
    readonly resourceName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, EXIT.usage, options);
  }
}

/** The target serves no decision endpoint (a stack deployed before `backfill approve`, or an older `local up`). */
export class NoDecisionEndpointError extends CliError {
  override readonly name = 'NoDecisionEndpointError';
  constructor(where: string, kind: 'aws' | 'local') {
    const fix = kind === 'aws' ? 'it has no ApprovalDecideUrl output: deploy this version of the stack (`cdk deploy`)' : 'its endpoints.json names no approval page: restart `backfill local up` with this version';
    super(`${where} serves no decision endpoint for backfill approve / reject; ${fix}, or decide through the link in your approval email`, EXIT.target);
  }
}

/** The decision endpoint refused the decision (not an approver, self-approval, already decided, no open approval, …); nothing was recorded. */
export class DecisionRefusedError extends CliError {
  override readonly name = 'DecisionRefusedError';
  constructor(readonly refusal: string, message: string) {
    super(`refused (${refusal}): ${message}`, EXIT.failed);
  }
}

/** The decision endpoint could not be used: AWS refused the signed request, or the function failed. */
export class DecisionEndpointError extends CliError {
  override readonly name = 'DecisionEndpointError';
  constructor(url: string, statusCode: number, body: string) {
    const hint =
      statusCode === 403
        ? 'AWS refused the signed request: the caller needs the stack\'s approver policy (ApproverPolicyArn; lambda:InvokeFunctionUrl on the decision function)'
        : 'check the ApprovalDecide function\'s logs';
    super(`the decision endpoint ${url} answered ${statusCode} (${body.slice(0, 200)}); ${hint}; nothing was decided`, EXIT.target);
  }
}

/** The target serves no control endpoint (a stack deployed before `backfill pause`, or an older `local up`). */
export class NoControlEndpointError extends CliError {
  override readonly name = 'NoControlEndpointError';
  constructor(where: string, kind: 'aws' | 'local') {
    const fix = kind === 'aws' ? 'it has no ControlsUrl output: deploy this version of the stack (`cdk deploy`)' : 'its endpoints.json names no approval server: restart `backfill local up` with this version';
    super(`${where} serves no control endpoint for backfill pause / resume / abort / breaker; ${fix}`, EXIT.target);
  }
}

/** The control endpoint refused the action (no such run, a status that does not allow it, the breaker open, …); nothing was changed. */
export class ControlRefusedError extends CliError {
  override readonly name = 'ControlRefusedError';
  constructor(readonly refusal: string, message: string) {
    super(`refused (${refusal}): ${message}`, EXIT.failed);
  }
}

/** The control endpoint could not be used: AWS refused the signed request, or the function failed. */
export class ControlEndpointError extends CliError {
  override readonly name = 'ControlEndpointError';
  constructor(url: string, statusCode: number, body: string) {
    const hint =
      statusCode === 403
        ? 'AWS refused the signed request: the caller needs the stack\'s operator policy (OperatorPolicyArn; lambda:InvokeFunctionUrl on the operator-control function)'
        : 'check the OperatorControl function\'s logs';
    super(`the control endpoint ${url} answered ${statusCode} (${body.slice(0, 200)}); ${hint}; nothing was changed`, EXIT.target);
  }
}
