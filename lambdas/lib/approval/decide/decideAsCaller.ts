import { appendAudit, getApproval, listApprovals } from '../../ledger';
import type { Deps } from '../../runtime/Deps';
import { applyDecision, type AppliedDecision } from '../applyDecision';
import type { ApprovalServices } from '../ApprovalServices';
import { AmbiguousApprovalError, NoOpenApprovalError } from '../errors';
import { isRefusal, refusalStatusOf } from '../page/refusals';
import { taskStillWaits } from '../taskResults';
import { callerDecisionOf, type CallerDecision, type DecisionEventSchema } from './decisionEvent';
import type { z } from 'zod';

/** What the decision endpoint answers (a Function URL structured response, JSON body). */
export interface DecisionResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The JSON body of an answer: the decision's outcome, or the refusal (its error name and message). */
export type DecisionAnswer =
  | ({ readonly runId: string; readonly approvalId: string; readonly approver: string } & AppliedDecision)
  | { readonly refused: string; readonly message: string };

const json = (statusCode: number, answer: DecisionAnswer): DecisionResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(answer),
});

/** The approval to decide: the one named, or the run's only OPEN one, else a decided one whose answer the run still waits for (applyDecision re-sends it). */
async function approvalToDecide(deps: Deps, services: Pick<ApprovalServices, 'sfn'>, request: CallerDecision): Promise<string> {
  if (request.approvalId !== undefined) return request.approvalId;
  const approvals = await listApprovals(deps, request.runId);
  const open = approvals.filter((a) => a.status === 'OPEN');
  if (open.length === 0) {
    for (const decided of approvals.filter((a) => a.status === 'APPROVED' || a.status === 'REJECTED')) {
      const record = await getApproval(deps, request.runId, decided.approvalId);
      if (record && (await taskStillWaits(services.sfn, record.taskToken))) return decided.approvalId;
    }
    throw new NoOpenApprovalError(request.runId, approvals.map((a) => `${a.stage} ${a.status}`));
  }
  if (open.length > 1) throw new AmbiguousApprovalError(request.runId, open.map((a) => a.approvalId));
  return open[0]!.approvalId;
}

/**
 * Decides an approval as the caller AWS IAM authenticated (`backfill approve|reject RUN`): the
 * approver is the caller's ARN (it must be among the spec's approvers; with preventSelfApproval it
 * must not be who started the run), through the same path as the approval page's POST
 * (applyDecision). Every refusal is a JSON answer with the page's status code and audited under
 * the run; only a fault (DynamoDB, Step Functions down) throws.
 * @example
 *   const response = await decideAsCaller({ deps, services }, DecisionEventSchema.parse(event));
 *   // { statusCode: 200, body: '{"runId":"orders-fix-1","approvalId":"…","approver":"arn:aws:sts::…","outcome":"approved",…}' }
 */
export async function decideAsCaller(page: { readonly deps: Deps; readonly services: Pick<ApprovalServices, 'sfn'> }, event: z.output<typeof DecisionEventSchema>): Promise<DecisionResponse> {
  let request: CallerDecision | undefined;
  let approvalId: string | undefined;
  let audited = false;
  try {
    request = callerDecisionOf(event);
    approvalId = await approvalToDecide(page.deps, page.services, request);
    const { runId, caller, decision, comment, sourceIp, userAgent } = request;
    const applied = await applyDecision(page.deps, page.services, { runId, approvalId, approver: caller, decision, comment, sourceIp, userAgent }, { onLedgerRefusal: () => (audited = true) });
    return json(200, { runId, approvalId, approver: caller, ...applied });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (!audited && request !== undefined) {
      await appendAudit(page.deps, {
        runId: request.runId,
        type: 'ApprovalDecisionRefused',
        actor: request.caller,
        detail: {
          approvalId: approvalId ?? null, approver: request.caller, decision: request.decision, comment: request.comment,
          via: 'iam', sourceIp: request.sourceIp, userAgent: request.userAgent, refusal: error.name, reason: error.message,
        },
      });
    }
    return json(refusalStatusOf(error), { refused: error.name, message: error.message });
  }
}
