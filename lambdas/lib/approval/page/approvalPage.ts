import { appendAudit, isStarter, NotAnApproverError, readApprovalForPage, requireRun, runOfApproval } from '../../ledger';
import type { Deps } from '../../runtime/Deps';
import { applyDecision } from '../applyDecision';
import type { ApprovalServices } from '../ApprovalServices';
import { csrfToken, verifyCsrfToken } from '../csrf';
import { BadDecisionFormError, DecisionOnGetError, MalformedLinkError, MethodNotAllowedError, UnknownApprovalError, UnknownPageError } from '../errors';
import { verifyApprovalLink } from '../signedLinks';
import { evidenceHtml } from './evidenceHtml';
import { esc, htmlDocument } from './html';
import { formFields, type FormProblem, type PageRequest } from './pageRequest';
import { htmlResponse, type PageResponse } from './PageResponse';
import { isRefusal, refusalPage } from './refusals';
import { renderApprovalPage } from './renderApprovalPage';

const LINK_FIELDS = ['approver', 'exp', 'sig'] as const;
const FORM_FIELDS = [...LINK_FIELDS, 'csrf', 'decision', 'comment'];

/** What the page needs besides the request: the ledger and artifacts, and the approval services. */
export interface ApprovalPageDeps {
  readonly deps: Deps;
  readonly services: ApprovalServices;
}

/** Who asked, for the audit trail (never the signature or the CSRF token); filled in as the request is read. */
interface Requester {
  approvalId: string | undefined;
  approver: string | undefined;
  decision?: string;
  comment?: string;
  /** recordDecision refused and audited the refusal itself. */
  audited?: boolean;
}

/** Audits a refusal under its run when the approval id leads to one (recordDecision audits its own). */
async function auditRefusal(page: ApprovalPageDeps, request: PageRequest, who: Requester, error: Error): Promise<void> {
  const runId = who.approvalId === undefined ? undefined : await runOfApproval(page.deps, who.approvalId);
  if (runId === undefined) return;
  await appendAudit(page.deps, {
    runId,
    type: request.method === 'POST' ? 'ApprovalDecisionRefused' : 'ApprovalPageRefused',
    ...(who.approver === undefined ? {} : { actor: who.approver }),
    detail: {
      approvalId: who.approvalId,
      approver: who.approver ?? null,
      ...(who.decision === undefined ? {} : { decision: who.decision }),
      ...(who.comment === undefined ? {} : { comment: who.comment }),
      method: request.method,
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
      refusal: error.name,
      reason: error.message,
    },
  });
}

/** GET: verifies the link and renders the evidence page with the decision form. Never decides. */
async function showPage(page: ApprovalPageDeps, request: PageRequest, approvalId: string): Promise<PageResponse> {
  for (const name of request.query.keys()) {
    if ((LINK_FIELDS as readonly string[]).includes(name)) continue;
    if (FORM_FIELDS.includes(name)) throw new DecisionOnGetError(approvalId, name);
    throw new MalformedLinkError(`query parameter ${JSON.stringify(name.slice(0, 40))}`, 'is not part of an approval link', approvalId);
  }
  const link = Object.fromEntries(LINK_FIELDS.map((name) => [name, request.query.getAll(name).length > 1 ? [] : request.query.get(name) ?? undefined]));
  const key = await page.services.signingKey();
  const grant = verifyApprovalLink({ approvalId, ...link }, key, page.deps.clock.nowMs());
  const runId = await runOfApproval(page.deps, approvalId);
  if (runId === undefined) throw new UnknownApprovalError(approvalId);
  const [approval, run] = await Promise.all([readApprovalForPage(page.deps, { runId, approvalId }), requireRun(page.deps, runId)]);
  if (!approval.approvers.includes(grant.approver)) throw new NotAnApproverError(runId, approvalId, grant.approver, approval.approvers);
  const decided = approval.decisions.find((d) => d.approver === grant.approver);
  const cannotDecide =
    decided !== undefined ? `You ${decided.decision === 'approve' ? 'approved' : 'rejected'} at ${decided.at}; each approver decides once.`
    : approval.status !== 'OPEN' ? `This approval is ${approval.status}; it takes no more decisions.`
    : approval.expired ? `This approval expired at ${approval.expiresAt}; it takes no more decisions (timeout means rejection).`
    : approval.preventSelfApproval && isStarter(approval.startedBy, grant.approver) ? 'You started this run, so you cannot decide its approval (spec.approval.preventSelfApproval); ask another approver.'
    : undefined;
  const evidence = approval.evidenceKey === undefined ? undefined : await evidenceHtml(page.deps, approval.evidenceKey);
  await appendAudit(page.deps, { runId, type: 'ApprovalPageViewed', actor: grant.approver, detail: { approvalId, approver: grant.approver, sourceIp: request.sourceIp, userAgent: request.userAgent } });
  return htmlResponse(200, renderApprovalPage({
    run, approval, approver: grant.approver, exp: String(link.exp), sig: String(link.sig), csrf: csrfToken({ approvalId, approver: grant.approver }, key),
    // Relative to the page (…/approvals/<id>), so it stays under a base path such as an HTTP API stage.
    formAction: `./${encodeURIComponent(approvalId)}`, evidenceHtml: evidence, cannotDecide,
  }));
}

/** A form problem in words. */
function describeFormProblem(problem: FormProblem | `field ${string}`, request: PageRequest): string {
  if (problem === 'not-a-form') return `it must be sent as application/x-www-form-urlencoded, got ${JSON.stringify(request.contentType.slice(0, 60))}`;
  if (problem === 'too-large') return 'it is too large';
  return `${problem} is not part of it or appears twice`;
}

/** The page after a recorded decision. */
function decidedPage(title: string, message: string): PageResponse {
  return htmlResponse(200, htmlDocument(title, `<h1>${esc(title)}</h1><p class="notice">${esc(message)}</p>`));
}

/** POST: verifies link and CSRF token, checks the run still waits, records the decision once, releases or fails the run. */
async function decide(page: ApprovalPageDeps, request: PageRequest, approvalId: string, who: Requester): Promise<PageResponse> {
  const form = formFields(request, FORM_FIELDS);
  if ('problem' in form) throw new BadDecisionFormError(approvalId, describeFormProblem(form.problem, request));
  const { approver, exp, sig, csrf, decision, comment = '' } = form.fields;
  who.approver = approver;
  who.decision = decision;
  who.comment = comment;
  const key = await page.services.signingKey();
  const grant = verifyApprovalLink({ approvalId, approver, exp, sig }, key, page.deps.clock.nowMs());
  verifyCsrfToken({ approvalId, approver: grant.approver }, csrf, key);
  if (decision !== 'approve' && decision !== 'reject') throw new BadDecisionFormError(approvalId, `decision must be "approve" or "reject", got ${JSON.stringify(String(decision).slice(0, 40))}`);
  const runId = await runOfApproval(page.deps, approvalId);
  if (runId === undefined) throw new UnknownApprovalError(approvalId);
  const applied = await applyDecision(page.deps, page.services, { runId, approvalId, approver: grant.approver, decision, comment, sourceIp: request.sourceIp, userAgent: request.userAgent }, {
    onLedgerRefusal: () => (who.audited = true),
  });
  switch (applied.outcome) {
    case 'pending':
      return decidedPage('Your approval is recorded', `Approved by ${applied.approvedBy.length} of the ${applied.quorum} needed; the run waits for the others.`);
    case 'undelivered':
      return decidedPage('Your decision is recorded, but the run no longer waits', `Run ${runId} stopped waiting (timed out or stopped) before your decision reached it. If it is resumed, it goes on with this decision.`);
    case 'redelivered':
      return applied.decided === 'approved'
        ? decidedPage('The recorded approval is delivered: the run goes on', `This approval was decided earlier, but the answer had not reached run ${runId}; it is now re-sent (nothing new was recorded).`)
        : decidedPage('The recorded rejection is delivered: the run stops', `This approval was rejected earlier, but the answer had not reached run ${runId}; it is now re-sent (nothing new was recorded). The run ends REJECTED.`);
    case 'approved':
      return decidedPage('Approved: the run goes on', `The quorum of ${applied.quorum} is reached (${applied.approvedBy.join(', ')}); run ${runId} writes the rest in waves.`);
    case 'rejected':
      return decidedPage('Rejected: the run stops', `Run ${runId} ends REJECTED; nothing beyond the stage is written.`);
  }
}

/**
 * Serves one request to the approval Function URL: GET `/approvals/<id>?approver&exp&sig` renders
 * the evidence page, POST `/approvals/<id>` decides. Every refusal is a clear page with its status
 * code, audited (with approver, comment, time, source IP and user agent) when the id names a run.
 *
 * @example
 * const response = await serveApprovalPage({ deps, services }, pageRequestOf(event));
 * // { statusCode: 200, headers: { 'content-security-policy': "default-src 'none'; …" }, body: '<!doctype html>…' }
 */
export async function serveApprovalPage(page: ApprovalPageDeps, request: PageRequest): Promise<PageResponse> {
  const who: Requester = { approvalId: request.approvalId, approver: request.query.get('approver') ?? undefined };
  try {
    if (request.method !== 'GET' && request.method !== 'POST') throw new MethodNotAllowedError(request.approvalId, request.method);
    if (request.approvalId === undefined) throw new UnknownPageError(request.path);
    return request.method === 'GET' ? await showPage(page, request, request.approvalId) : await decide(page, request, request.approvalId, who);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (!who.audited) await auditRefusal(page, request, who, error);
    return refusalPage(error);
  }
}
