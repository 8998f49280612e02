import { randomBytes } from 'node:crypto';
import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { createHandler as createApprovalPage } from '../../../lambdas/approval-page/handler';
import type { ApprovalServices } from '../../../lambdas/lib/approval';
import type { FunctionUrlEvent } from '../../../lambdas/lib/approval/page/pageRequest';
import type { PageResponse } from '../../../lambdas/lib/approval/page/PageResponse';
import { beginStage, getApproval, listAudit, recordStageValidation, runOfApproval, startOrResumeRun, type ApprovalRecord } from '../../../lambdas/lib/ledger';
import type { PlannedStage } from '../../../lambdas/lib/stages';
import { stageEvidence } from '../lib/evidence/stageEvidenceFixture';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import type { StageEvidence } from '../../../lambdas/lib/evidence';
import { specHash, type Approval, type Spec } from '../../../lambdas/lib/spec';
import { createHandler as createRequestApproval } from '../../../lambdas/request-approval/handler';
import { startStepFunctionsServer, type StepFunctionsServer } from '../../../local/cloud/stepfunctions';
import type { AslDefinition } from '../../../local/engine';
import { createTestStore, useEmulators, waitFor, type TestStore } from '../../support';
import { specFor } from '../fixtures/specs';
import { arnOf, fn, localMachine, sfnClient } from '../../local/cloud/stepfunctions/fixtures';

export const ALICE = 'alice@example.com';
export const BOB = 'bob@example.com';
export const CAROL = 'carol@example.com';
export const PAGE_BASE_URL = 'https://approvals.example.test';
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:backfill-approvals';
export const STARTER = 'local:starter';
const REQUEST_APPROVAL_FN = fn('request-approval');
const context = { awsRequestId: 'request-1' };

/** RequestApproval as the staged ASL has it (waitForTaskToken, the token in the Payload), then Approved; a rejection or timeout → Rejected. */
function approvalMachine(resume: boolean): AslDefinition {
  return {
    StartAt: 'RequestApproval',
    States: {
      RequestApproval: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: REQUEST_APPROVAL_FN,
          Payload: { 'runId.$': '$.runId', stage: 'canary', ...(resume ? { 'approvalId.$': '$.approvalId' } : { 'evidenceKey.$': '$.evidenceKey' }), 'taskToken.$': '$$.Task.Token' },
        },
        TimeoutSecondsPath: '$.timeoutSeconds',
        // A failed attempt (here: the notifier down) is retried with a new task token
        Retry: [{ ErrorEquals: ['NotifierDown'], MaxAttempts: 1, IntervalSeconds: 1 }],
        ResultPath: '$.approval',
        Catch: [{ ErrorEquals: ['ApprovalRejected', 'States.Timeout'], ResultPath: '$.error', Next: 'Rejected' }],
        Next: 'Approved',
      },
      Approved: { Type: 'Succeed' },
      Rejected: { Type: 'Fail', Error: 'ApprovalRejected', Cause: 'the approval was rejected' },
    },
  } as AslDefinition;
}

/** A recording notifier: the exact PublishCommandInput of every message, in order; `failures` makes the next calls throw NotifierDown. */
export function recordingNotifier(): { published: PublishCommandInput[]; failures: { count: number }; publish(input: PublishCommandInput): Promise<void> } {
  const published: PublishCommandInput[] = [];
  const failures = { count: 0 };
  return {
    published,
    failures,
    publish: async (input) => {
      if (failures.count > 0) {
        failures.count -= 1;
        throw Object.assign(new Error('SNS is down'), { name: 'NotifierDown' });
      }
      published.push(input);
    },
  };
}

/** Everything an approval test drives: the ledger on emulators, a local Step Functions server running RequestApproval, the page handler. */
export interface ApprovalHarness {
  readonly store: TestStore;
  readonly deps: Deps;
  readonly sfn: SFNClient;
  readonly key: Buffer;
  readonly published: PublishCommandInput[];
  /** How many of the next Publish calls fail. */
  readonly notifierFailures: { count: number };
  /** Creates a run with `approval` (and a one-batch canary rollout) and starts a waiting RequestApproval execution for it. */
  startWaiting(approval: Partial<Approval>, options?: { startedBy?: string; evidence?: Partial<StageEvidence> }): Promise<Waiting>;
  /** Starts the resume machine for the same run and approval (a resumed run's RequestApproval). */
  resume(waiting: Waiting): Promise<string>;
  status(executionArn: string): Promise<string>;
  stop(executionArn: string): Promise<void>;
  /** Calls the approval page handler (with `services` instead of the harness's, when given). */
  page(event: FunctionUrlEvent, services?: Partial<ApprovalServices>): Promise<PageResponse>;
  /** Another SDK client on the local Step Functions API (the caller destroys it). */
  newSfnClient(): SFNClient;
}

export interface Waiting {
  readonly runId: string;
  readonly approvalId: string;
  readonly executionArn: string;
  /** Each approver's link, from their message. */
  readonly links: Readonly<Record<string, string>>;
  record(): Promise<ApprovalRecord>;
}

/** The link in a message body (the line that starts with the page's base URL). */
export const linkIn = (message: PublishCommandInput): string => message.Message!.split('\n').find((line) => line.startsWith(PAGE_BASE_URL))!;

/**
 * A Function URL event (payload format 2.0) for `url`; a form body arrives base64-encoded, as AWS
 * sends a body whose type is not text.
 */
export function urlEvent(method: string, url: string, form?: Record<string, string>, extra: { contentType?: string; rawBody?: string } = {}): FunctionUrlEvent {
  const parsed = new URL(url);
  const body = extra.rawBody ?? (form === undefined ? undefined : new URLSearchParams(form).toString());
  return {
    rawPath: parsed.pathname,
    rawQueryString: parsed.search.replace(/^\?/, ''),
    headers: { 'user-agent': 'Mozilla/5.0 (approval test)', ...(body === undefined ? {} : { 'content-type': extra.contentType ?? 'application/x-www-form-urlencoded' }) },
    ...(body === undefined ? {} : { body: Buffer.from(body).toString('base64') }),
    isBase64Encoded: body !== undefined,
    requestContext: { http: { method, sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (approval test)' } },
  };
}

/** The hidden fields of the page's decision form. */
export function formOf(page: PageResponse): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) fields[match[1]!] = match[2]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');
  return fields;
}

/** Starts the emulators and a local Step Functions server for the enclosing describe. */
export function useApprovalHarness(): () => ApprovalHarness {
  const env = useEmulators('dynalite');
  let harness: ApprovalHarness | undefined;
  let server: StepFunctionsServer | undefined;
  let sfn: SFNClient | undefined;
  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const store = await createTestStore(env());
    const key = randomBytes(32);
    const notifier = recordingNotifier();
    let services: ApprovalServices | undefined;
    const deps: Deps = {
      ...store.deps,
      get approvals(): ApprovalServices {
        return services!;
      },
    };
    const requestApproval = createRequestApproval(deps);
    server = await startStepFunctionsServer({
      stateMachines: [
        localMachine('Approval', approvalMachine(false), { [REQUEST_APPROVAL_FN]: (payload) => requestApproval(payload, context) }),
        localMachine('ResumeApproval', approvalMachine(true), { [REQUEST_APPROVAL_FN]: (payload) => requestApproval(payload, context) }),
      ],
      s3: store.clients.s3,
    });
    sfn = sfnClient(server);
    services = { sfn, notifier, signingKey: async () => key, pageBaseUrl: PAGE_BASE_URL, topicArn: TOPIC_ARN };
    const page = createApprovalPage(deps);
    let runs = 0;
    const messagesFor = async (from: number, count: number): Promise<PublishCommandInput[]> =>
      waitFor(() => notifier.published.length >= from + count && notifier.published.slice(from, from + count), { describe: `${count} approval messages` });
    harness = {
      store,
      deps,
      sfn,
      key,
      published: notifier.published,
      notifierFailures: notifier.failures,
      async startWaiting(approval, options = {}) {
        const runId = `approval-run-${++runs}`;
        const spec: Spec = specFor('source-bucket', 'orders/', {
          rollout: { canary: { batches: 1 }, waves: [100] },
          approval: { approvers: [ALICE, BOB], ...approval },
        } as Partial<Spec>);
        await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec), startedBy: options.startedBy ?? STARTER });
        // The canary ran and passed its gate: its evidence is written and the stage VALIDATED
        const evidenceKey = `evidence/${runId}/canary.json`;
        const stage: PlannedStage = { name: 'canary', kind: 'canary', index: 0, firstBatch: 0, batchCount: 1, cumulativePercent: 10, manifestKey: `manifests/${runId}/plan-canary.jsonl` };
        await store.putText(deps.artifactsBucket, evidenceKey, JSON.stringify(stageEvidence({ runId, ...options.evidence })));
        await beginStage(deps, { runId, stage });
        await recordStageValidation(deps, { runId, stage, passed: true, evidenceKey, failures: [] });
        const before = notifier.published.length;
        const timeoutSeconds = spec.approval!.timeoutSeconds;
        const { executionArn } = await sfn!.send(
          new StartExecutionCommand({ stateMachineArn: arnOf('Approval'), name: runId, input: JSON.stringify({ runId, evidenceKey, timeoutSeconds }) }),
        );
        const messages = await messagesFor(before, spec.approval!.approvers.length);
        const approvalId = new URL(linkIn(messages[0]!)).pathname.split('/').at(-1)!;
        const links = Object.fromEntries(messages.map((m) => [m.MessageAttributes!.approver!.StringValue!, linkIn(m)]));
        return { runId, approvalId, executionArn: executionArn!, links, record: async () => (await getApproval(deps, runId, approvalId))! };
      },
      async resume(waiting) {
        const { executionArn } = await sfn!.send(
          new StartExecutionCommand({ stateMachineArn: arnOf('ResumeApproval'), name: `${waiting.runId}-resumed`, input: JSON.stringify({ runId: waiting.runId, approvalId: waiting.approvalId, timeoutSeconds: 3600 }) }),
        );
        return executionArn!;
      },
      async status(executionArn) {
        return (await sfn!.send(new DescribeExecutionCommand({ executionArn }))).status!;
      },
      async stop(executionArn) {
        await sfn!.send(new StopExecutionCommand({ executionArn, error: 'Stopped', cause: 'test' }));
        await waitFor(async () => (await harness!.status(executionArn)) === 'ABORTED', { describe: 'the execution to stop' });
      },
      page: (event, replaced) => (replaced ? createApprovalPage({ ...deps, approvals: { ...services!, ...replaced } })(event, context) : page(event, context)),
      newSfnClient: () => sfnClient(server!),
    };
  });
  afterAll(async () => {
    sfn?.destroy();
    await server?.close({ drainMs: 100 });
  });
  return () => harness!;
}

/** The audit events of a run, by type. */
export const auditTypes = async (deps: Deps, runId: string): Promise<string[]> => (await listAudit(deps, runId)).map((e) => e.type);

export { runOfApproval };
