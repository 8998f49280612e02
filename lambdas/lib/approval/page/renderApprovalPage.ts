import type { ApprovalPage, RunRecord } from '../../ledger';
import { MAX_COMMENT_LENGTH } from '../../ledger';
import { esc, htmlDocument, json, table } from './html';

/** Everything the evidence page shows, gathered by the GET handler. */
export interface ApprovalPageView {
  readonly run: RunRecord;
  readonly approval: ApprovalPage;
  /** The verified link's approver, and the link fields the form posts back. */
  readonly approver: string;
  readonly exp: string;
  readonly sig: string;
  readonly csrf: string;
  /** `/approvals/<id>`: where the form posts. */
  readonly formAction: string;
  /** The stage's evidence as an escaped HTML fragment (renderEvidenceHtml), or undefined when there is none to show. */
  readonly evidenceHtml: string | undefined;
  /** Why there is no decision form (decided, expired, self-approval), or undefined when the approver may decide. */
  readonly cannotDecide: string | undefined;
}

function runSection({ run }: ApprovalPageView): string {
  const spec = run.spec;
  const rows: Array<[string, string]> = [
    ['run', esc(run.runId)],
    ['job', esc(spec.jobName)],
    ['started by', esc(run.startedBy ?? 'unknown')],
    ['started at', esc(run.createdAt)],
    ['code version', esc(run.codeVersion)],
    ['transform', esc(run.transform)],
    ['mode', esc(spec.mode)],
    ['source', json(spec.source)],
    ['target', json(spec.target)],
    ['rollout', json(spec.rollout)],
    ['validation', json(spec.validation)],
    ['spec hash', esc(run.specHash)],
    ['plan', run.planHash === undefined ? 'not planned' : `${esc(run.batchCount ?? 0)} batches, ${esc(run.recordCount ?? 0)} records (plan ${esc(run.planHash)})`],
  ];
  return `<section id="run"><h2>The run</h2>${table(['', ''], rows.map(([name, value]) => [esc(name), value]))}</section>`;
}

function decisionsSection({ approval }: ApprovalPageView): string {
  const rows = approval.decisions.map((d) => [esc(d.approver), d.decision === 'approve' ? '<strong class="pass">approved</strong>' : '<strong class="fail">rejected</strong>', esc(d.comment || '—'), esc(d.at)]);
  const tally = `<p id="quorum">Approved by ${esc(approval.approvedBy.length)} of the ${esc(approval.quorum)} needed (approvers: ${esc(approval.approvers.join(', '))}). Status: <strong>${esc(approval.status)}</strong>; the links expire at ${esc(approval.expiresAt)}.</p>`;
  return `<section id="decisions"><h2>Decisions so far</h2>${tally}${rows.length === 0 ? '<p>No decision yet.</p>' : table(['approver', 'decision', 'comment', 'at'], rows)}</section>`;
}

function formSection(view: ApprovalPageView): string {
  if (view.cannotDecide !== undefined) return `<section id="decide"><h2>Your decision</h2><p class="notice">${esc(view.cannotDecide)}</p></section>`;
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;
  return (
    `<section id="decide"><h2>Your decision, ${esc(view.approver)}</h2>` +
    `<form method="post" action="${esc(view.formAction)}">` +
    hidden('approver', view.approver) + hidden('exp', view.exp) + hidden('sig', view.sig) + hidden('csrf', view.csrf) +
    `<p><label for="comment">Comment (kept in the audit trail)</label><br><textarea id="comment" name="comment" maxlength="${MAX_COMMENT_LENGTH}"></textarea></p>` +
    `<p><button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="reject">Reject</button></p>` +
    `<p>Approving lets the run write the rest in waves, each gated again. Rejecting stops the run; nothing beyond the ${esc(view.approval.stage)} stage is written.</p>` +
    `</form></section>`
  );
}

/**
 * The evidence page of one approval, for one approver: the run, the stage's evidence, the
 * decisions so far and the quorum, and a plain HTML form (no script) to approve or reject.
 *
 * @example
 * htmlResponse(200, renderApprovalPage({ run, approval, approver, exp, sig, csrf, formAction, evidenceHtml, cannotDecide: undefined }));
 */
export function renderApprovalPage(view: ApprovalPageView): string {
  const { approval } = view;
  const title = `Approve stage ${approval.stage} of run ${approval.runId}?`;
  const evidence = view.evidenceHtml ?? `<p>${approval.evidenceKey === undefined ? 'This stage has no evidence.' : `The evidence is at ${esc(approval.evidenceKey)}.`}</p>`;
  return htmlDocument(
    title,
    `<h1>${esc(title)}</h1>` + runSection(view) + `<section id="evidence"><h2>Evidence of stage ${esc(approval.stage)}</h2>${evidence}</section>` + decisionsSection(view) + formSection(view),
  );
}
