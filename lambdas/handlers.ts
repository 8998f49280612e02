import type { ArtifactArea } from './lib/artifacts';

/**
 * The Lambda handlers: one row per function, read by the stack (infra/constructs/HandlerFunctions.ts
 * deploys each row and grants it exactly its `grants`), by the local runtime (which binds each
 * row's ASL placeholder to the handler code) and by the handler tests. Plain data, no imports of
 * handler code or CDK: neither the CDK app nor a Lambda bundle pulls in the other.
 */

/** The state machines, each deployed from (and run locally from) its ASL file. */
export type WorkflowName = 'backfill' | 'rollback';

/** Each workflow's ASL file, relative to the repository root. */
export const WORKFLOWS: Readonly<Record<WorkflowName, { readonly definitionFile: string }>> = {
  backfill: { definitionFile: 'statemachines/backfill.asl.json' },
  // Started with `{ "runId": "..." }`; `"mode": "rehearse"` checks without writing, `"force": true` rolls back a run still marked RUNNING.
  rollback: { definitionFile: 'statemachines/rollback.asl.json' },
};

/** Access to one artifacts area: `read` is s3:GetObject, `write` is s3:PutObject, under that area's prefix only. */
export type ArtifactGrant = `artifacts:${ArtifactArea}:${'read' | 'write'}`;

/**
 * What a handler may touch besides its own logs and traces. `ledger:items` is GetItem, BatchGetItem,
 * PutItem and UpdateItem on the ledger; `ledger:query` is Query. `sources:list` / `sources:read` cover every
 * source bucket. `targets:backfill-write` reads pre-images and writes items; `targets:rollback-restore`
 * reads, puts back and deletes items (only the rollback worker). `states:update-map-run` is
 * states:ListMapRuns on the backfill state machine's executions and states:UpdateMapRun on their Map
 * Runs (the worker's write-rate controller sets the running Map Run's MaxConcurrency).
 */
export type HandlerGrant =
  | 'ledger:items'
  | 'ledger:query'
  | 'sources:list'
  | 'sources:read'
  | 'targets:backfill-write'
  | 'targets:rollback-restore'
  | OperationsGrant
  | ApprovalGrant
  | ArtifactGrant;

/**
 * The breaker's and the write-rate controller's grants: `operations:notify` is sns:Publish on the
 * operations topic (env OPERATIONS_TOPIC_ARN); `states:update-map-run` is states:ListMapRuns on the
 * backfill's executions and states:UpdateMapRun on their Map Runs.
 */
export type OperationsGrant = 'operations:notify' | 'states:update-map-run';

/**
 * The approval functions' grants: `approvals:notify` is sns:Publish on the approval topic,
 * `approvals:signing-key` is secretsmanager:GetSecretValue on the link signing secret,
 * `states:send-task-result` is states:SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat (the
 * heartbeat asks whether the run still waits before a decision is recorded).
 */
export type ApprovalGrant = 'approvals:notify' | 'approvals:signing-key' | 'states:send-task-result';

/**
 * The EventBridge events a handler can be the target of (the stack wires one rule per name):
 * `execution-status-change` is detail-type "Step Functions Execution Status Change" of both state
 * machines, statuses ABORTED, TIMED_OUT and FAILED; `breaker-alarm` is detail-type "CloudWatch Alarm
 * State Change" of the breaker's composite alarm, to ALARM and to OK.
 */
export type EventRuleName = 'execution-status-change' | 'breaker-alarm';

/**
 * The Lambda Function URLs of the stack (one per name):
 * `approvals` serves the approval page (`/approvals/<id>`), the base URL of every approval link
 * (auth NONE: the handler verifies signed links);
 * `approvals-iam` serves the decision endpoint of `backfill approve|reject` (`POST /decisions`;
 * auth AWS_IAM: AWS verifies the caller's SigV4 signature and names the caller to the handler);
 * `controls-iam` serves the operator controls of `backfill pause|resume|abort|breaker` (`POST /controls`; auth AWS_IAM).
 */
export type FunctionUrlName = 'approvals' | 'approvals-iam' | 'controls-iam';

interface HandlerDefinitionBase {
  /** Its entry file, relative to the repository root; it exports `handler` (Lambda) and `createHandler(deps)` (tests, local runtime). */
  readonly entry: string;
  /** Construct id (PascalCase). CloudFormation logical ids derive from it: renaming it replaces the function. */
  readonly constructId: string;
  readonly description: string;
  readonly memorySizeMb: number;
  /** At least the TimeoutSeconds of the ASL Task that invokes it (a test checks this). */
  readonly timeoutSeconds: number;
  readonly grants: readonly HandlerGrant[];
}

/** A handler a workflow's Task states invoke. */
export interface WorkflowHandlerDefinition extends HandlerDefinitionBase {
  /** The ASL placeholder its function ARN is substituted for, e.g. `${WorkerFunctionArn}`. */
  readonly aslPlaceholder: string;
  /** The state machine whose Task states invoke it. */
  readonly workflow: WorkflowName;
  readonly eventRule?: never;
  readonly functionUrl?: never;
}

/** A handler an EventBridge rule invokes; it belongs to no workflow and has no ASL placeholder. */
export interface EventRuleHandlerDefinition extends HandlerDefinitionBase {
  readonly eventRule: EventRuleName;
  readonly aslPlaceholder?: never;
  readonly workflow?: never;
  readonly functionUrl?: never;
}

/** A handler served at a Function URL (HTTP requests, payload format 2.0); no workflow, no event rule. */
export interface FunctionUrlHandlerDefinition extends HandlerDefinitionBase {
  readonly functionUrl: FunctionUrlName;
  readonly aslPlaceholder?: never;
  readonly workflow?: never;
  readonly eventRule?: never;
}

/** How one handler is deployed and wired. */
export type HandlerDefinition = WorkflowHandlerDefinition | EventRuleHandlerDefinition | FunctionUrlHandlerDefinition;

const REGISTRY = {
  // Parses the execution input only: logs and traces, nothing else.
  'validate-spec': {
    entry: 'lambdas/validate-spec/handler.ts', constructId: 'ValidateSpec', aslPlaceholder: 'ValidateSpecFunctionArn', workflow: 'backfill',
    description: 'Parses the execution input as a backfill spec', memorySizeMb: 256, timeoutSeconds: 60,
    grants: [],
  },
  // Creates or resumes the run record.
  'start-run': {
    entry: 'lambdas/start-run/handler.ts', constructId: 'StartRun', aslPlaceholder: 'StartRunFunctionArn', workflow: 'backfill',
    description: 'Creates or resumes the run record', memorySizeMb: 256, timeoutSeconds: 60,
    grants: ['ledger:items'],
  },
  // Lists and reads the source, writes the manifest, pins the plan hash on the run.
  plan: {
    entry: 'lambdas/plan/handler.ts', constructId: 'Plan', aslPlaceholder: 'PlanFunctionArn', workflow: 'backfill',
    description: 'Lists the source and writes the sorted manifest of batches', memorySizeMb: 1024, timeoutSeconds: 900,
    grants: ['sources:list', 'sources:read', 'artifacts:manifests:write', 'ledger:items'],
  },
  // Reads its source lines, snapshots pre-images, quarantines bad records, writes targets; a retried
  // batch re-reads the snapshot and quarantine it recorded. Its write-rate controller (the run's
  // CONTROLLER record) sets the running Map Run's MaxConcurrency.
  worker: {
    entry: 'lambdas/worker/handler.ts', constructId: 'Worker', aslPlaceholder: 'WorkerFunctionArn', workflow: 'backfill',
    description: 'Claims, snapshots and writes batches', memorySizeMb: 1024, timeoutSeconds: 900,
    grants: ['sources:read', 'artifacts:snapshots:write', 'artifacts:snapshots:read', 'artifacts:quarantine:write', 'artifacts:quarantine:read', 'ledger:items', 'targets:backfill-write', 'states:update-map-run'],
  },
  // A staged run's gate after each stage: queries the stage's batch records, re-reads the plan's
  // manifest, some source ranges (the determinism re-check), the stage's snapshots and the golden
  // file (in a source bucket), writes the evidence.
  'validate-stage': {
    entry: 'lambdas/validate-stage/handler.ts', constructId: 'ValidateStage', aslPlaceholder: 'ValidateStageFunctionArn', workflow: 'backfill',
    description: 'Computes a stage\'s evidence and passes or fails its gate', memorySizeMb: 1024, timeoutSeconds: 900,
    grants: ['ledger:query', 'ledger:items', 'sources:read', 'artifacts:manifests:read', 'artifacts:snapshots:read', 'artifacts:evidence:write'],
  },
  // Queries every batch record of the run, writes the report, marks the run.
  finalize: {
    entry: 'lambdas/finalize/handler.ts', constructId: 'Finalize', aslPlaceholder: 'FinalizeFunctionArn', workflow: 'backfill',
    description: 'Reconciles counts, writes the run report, marks the run SUCCEEDED', memorySizeMb: 1024, timeoutSeconds: 900,
    grants: ['ledger:query', 'ledger:items', 'artifacts:reports:write'],
  },
  // Records the failure on the run record and in the audit trail.
  'mark-run-failed': {
    entry: 'lambdas/mark-run-failed/handler.ts', constructId: 'MarkRunFailed', aslPlaceholder: 'MarkRunFailedFunctionArn', workflow: 'backfill',
    description: 'Records why a run failed, naming the failed batches', memorySizeMb: 256, timeoutSeconds: 60,
    grants: ['ledger:items', 'ledger:query'],
  },
  // Reads and moves the run's stage records (begins, re-enters and passes stages); reads the stage's approval.
  stages: {
    entry: 'lambdas/stages/handler.ts', constructId: 'Stages', aslPlaceholder: 'StagesFunctionArn', workflow: 'backfill',
    description: 'Says where a staged run goes on (the first stage not passed) and passes stages', memorySizeMb: 256, timeoutSeconds: 60,
    grants: ['ledger:items', 'ledger:query'],
  },
  // Reads the run's stage records (Query), stores the approval and its id index, marks the stage
  // AWAITING_APPROVAL, publishes one message per approver with their signed link; on a resume (or a
  // retried attempt) replaces the task token and sends the links again, or answers a decided approval at once.
  'request-approval': {
    entry: 'lambdas/request-approval/handler.ts', constructId: 'RequestApproval', aslPlaceholder: 'RequestApprovalFunctionArn', workflow: 'backfill',
    description: 'Requests the approval of a stage: stores it and sends each approver a signed link', memorySizeMb: 256, timeoutSeconds: 60,
    grants: ['ledger:items', 'ledger:query', 'approvals:notify', 'approvals:signing-key', 'states:send-task-result'],
  },
  // CheckGate after each distributed Map: reads the run and the breaker, queries the map's batch
  // records (batches the gate left), moves the run by its pause, abort or on-failure policy, and
  // tells the operators (the operations topic) when a run is PAUSED.
  'check-gate': {
    entry: 'lambdas/check-gate/handler.ts', constructId: 'CheckGate', aslPlaceholder: 'CheckGateFunctionArn', workflow: 'backfill',
    description: 'Decides where a run goes after a map: on, again, or its pause, stop, rollback or abort', memorySizeMb: 256, timeoutSeconds: 60,
    grants: ['ledger:items', 'ledger:query', 'operations:notify'],
  },
  // RecordRejection: reads the stage's approval, expires it on a timeout, marks the run REJECTED.
  'reject-run': {
    entry: 'lambdas/reject-run/handler.ts', constructId: 'RejectRun', aslPlaceholder: 'RejectRunFunctionArn', workflow: 'backfill',
    description: 'Marks a run whose stage approval was rejected or timed out REJECTED', memorySizeMb: 256, timeoutSeconds: 60,
    grants: ['ledger:items', 'ledger:query'],
  },
  // Reads the run and its batch records, checks a rollback is allowed, writes the rollback manifest
  // (the run's status moves only in BeginRollback, after every batch was checked).
  'rollback-load': {
    entry: 'lambdas/rollback-load/handler.ts', constructId: 'RollbackLoad', aslPlaceholder: 'RollbackLoadFunctionArn', workflow: 'rollback',
    description: 'Checks the run may be rolled back and writes the rollback manifest', memorySizeMb: 512, timeoutSeconds: 900,
    grants: ['ledger:items', 'ledger:query', 'artifacts:manifests:write'],
  },
  // Claims and completes rollback records, reads snapshots, restores (or deletes) target items, lists conflicts.
  'rollback-worker': {
    entry: 'lambdas/rollback-worker/handler.ts', constructId: 'RollbackWorker', aslPlaceholder: 'RollbackWorkerFunctionArn', workflow: 'rollback',
    description: 'Restores (or rehearses) batches from their snapshots', memorySizeMb: 1024, timeoutSeconds: 900,
    grants: ['ledger:items', 'artifacts:snapshots:read', 'artifacts:rollbacks:write', 'targets:rollback-restore'],
  },
  // BeginRollback: reads the check pass's results, refuses or moves the run to ROLLING_BACK.
  // FinishRollback / SummarizeRehearsal: lists rollback records, re-reads the rollback manifest, reads
  // conflict lists and the workers' exported results, writes the full conflict list and the report, marks the run.
  'rollback-finish': {
    entry: 'lambdas/rollback-finish/handler.ts', constructId: 'RollbackFinish', aslPlaceholder: 'RollbackFinishFunctionArn', workflow: 'rollback',
    description: 'Begins a checked rollback; verifies it, lists conflicts, writes the report, marks the run', memorySizeMb: 1024, timeoutSeconds: 900,
    grants: ['ledger:items', 'ledger:query', 'artifacts:manifests:read', 'artifacts:rollbacks:read', 'artifacts:rollbacks:write', 'artifacts:mapResults:read', 'artifacts:reports:write'],
  },
  // Records the rollback's error on the run record and in the audit trail.
  'rollback-mark-failed': {
    entry: 'lambdas/rollback-mark-failed/handler.ts', constructId: 'RollbackMarkFailed', aslPlaceholder: 'RollbackMarkFailedFunctionArn', workflow: 'rollback',
    description: 'Records why a rollback failed', memorySizeMb: 256, timeoutSeconds: 60,
    grants: ['ledger:items'],
  },
  // Marks a run whose execution was stopped, timed out or failed outside MarkRunFailed (the EventBridge
  // rule on both state machines' status changes; locally the local cloud delivers the same event).
  'execution-status-change': {
    entry: 'lambdas/execution-status-change/handler.ts', constructId: 'ExecutionStatusChange', eventRule: 'execution-status-change',
    description: 'Marks the run of a stopped, timed-out or failed execution', memorySizeMb: 256, timeoutSeconds: 60,
    grants: ['ledger:items'],
  },
  // Opens the breaker on the composite alarm's ALARM (reads and writes the breaker record and its
  // audit trail), records its OK (auto-close), notifies the operations topic.
  breaker: {
    entry: 'lambdas/breaker/handler.ts', constructId: 'Breaker', eventRule: 'breaker-alarm',
    description: 'Opens the circuit breaker on the health alarm and notifies the operators', memorySizeMb: 256, timeoutSeconds: 60,
    grants: ['ledger:items', 'ledger:query', 'operations:notify'],
  },
  // Verifies signed links and CSRF tokens, renders the evidence page, records decisions (audited),
  // releases or fails the waiting task.
  'approval-page': {
    entry: 'lambdas/approval-page/handler.ts', constructId: 'ApprovalPage', functionUrl: 'approvals',
    description: 'Serves the approval page: shows the evidence, records decisions, releases the run', memorySizeMb: 256, timeoutSeconds: 30,
    grants: ['ledger:items', 'artifacts:evidence:read', 'approvals:signing-key', 'states:send-task-result'],
  },
  // Decides an approval as the IAM caller (backfill approve|reject): the same decision path as the
  // page's POST, the caller's ARN as the approver; reads the run's approvals (Query) to find the open one.
  'approval-decide': {
    entry: 'lambdas/approval-decide/handler.ts', constructId: 'ApprovalDecide', functionUrl: 'approvals-iam',
    description: 'Decides an approval as the IAM caller of backfill approve / reject, releases or fails the run', memorySizeMb: 256, timeoutSeconds: 30,
    grants: ['ledger:items', 'ledger:query', 'states:send-task-result'],
  },
  // Pauses, resumes, aborts a run (ledger moves, audited with the IAM caller) and releases a paused
  // run's waiting task (SendTaskSuccess; a heartbeat first asks whether it still waits); opens and
  // closes the breaker.
  'operator-control': {
    entry: 'lambdas/operator-control/handler.ts', constructId: 'OperatorControl', functionUrl: 'controls-iam',
    description: 'Pauses, resumes or aborts a run, opens or closes the breaker, as the IAM caller of backfill pause / resume / abort / breaker', memorySizeMb: 256, timeoutSeconds: 30,
    grants: ['ledger:items', 'ledger:query', 'states:send-task-result'],
  },
} as const satisfies Record<string, HandlerDefinition>;

/** A handler's id: the folder of its entry under lambdas/, and its function's name to the local runtime and the benchmark. */
export type HandlerId = keyof typeof REGISTRY;

/** The handlers a workflow's Task states invoke (the rows with an ASL placeholder). */
export type WorkflowHandlerId = { [Id in HandlerId]: (typeof REGISTRY)[Id] extends { readonly workflow: WorkflowName } ? Id : never }[HandlerId];

/** The handlers an EventBridge rule invokes. */
export type EventRuleHandlerId = { [Id in HandlerId]: (typeof REGISTRY)[Id] extends { readonly eventRule: EventRuleName } ? Id : never }[HandlerId];

/** The handlers served at a Function URL. */
export type FunctionUrlHandlerId = { [Id in HandlerId]: (typeof REGISTRY)[Id] extends { readonly functionUrl: FunctionUrlName } ? Id : never }[HandlerId];

/** Every handler, by id; a workflow handler's row has its `workflow` and `aslPlaceholder`. */
export const HANDLERS: Readonly<Record<HandlerId, HandlerDefinition> & Record<WorkflowHandlerId, WorkflowHandlerDefinition>> = REGISTRY;

/** Every handler id, in workflow order (backfill first, then rollback, then those EventBridge rules invoke, then Function URLs). */
export const HANDLER_IDS = Object.keys(REGISTRY) as readonly HandlerId[];

/**
 * The handlers one workflow's Task states invoke, in workflow order.
 *
 * @example
 *   handlerIdsOf('rollback'); // ['rollback-load', 'rollback-worker', 'rollback-finish', 'rollback-mark-failed']
 */
export function handlerIdsOf(workflow: WorkflowName): WorkflowHandlerId[] {
  return HANDLER_IDS.filter((id): id is WorkflowHandlerId => HANDLERS[id].workflow === workflow);
}

/**
 * The handler an EventBridge rule invokes, for the stack to make it the rule's target.
 *
 * @example
 *   handlerIdOfEventRule('execution-status-change'); // 'execution-status-change'
 */
export function handlerIdOfEventRule(rule: EventRuleName): EventRuleHandlerId {
  const id = HANDLER_IDS.find((candidate): candidate is EventRuleHandlerId => HANDLERS[candidate].eventRule === rule);
  if (id === undefined) throw new Error(`No handler in lambdas/handlers.ts is invoked by the ${rule} rule`);
  return id;
}

/**
 * The handler served at a Function URL, for the stack to give it the URL (and the approval
 * functions the URL as their page base).
 *
 * @example
 *   handlerIdOfFunctionUrl('approvals'); // 'approval-page'
 */
export function handlerIdOfFunctionUrl(name: FunctionUrlName): FunctionUrlHandlerId {
  const id = HANDLER_IDS.find((candidate): candidate is FunctionUrlHandlerId => HANDLERS[candidate].functionUrl === name);
  if (id === undefined) throw new Error(`No handler in lambdas/handlers.ts is served at the ${name} Function URL`);
  return id;
}
