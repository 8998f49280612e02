import { JSON_OPTION, type CommandDefinition } from '../commandTable';
import { listRunApprovals, type RunApproval } from '../runs/runApprovals';
import { readRun } from '../runs/runProgress';

function approvalLines(approval: RunApproval): string[] {
  const closed = approval.closedAt ? `, closed ${approval.closedAt}` : '';
  const lines = [
    `${approval.stage}  ${approval.status}  approved by ${approval.approvedBy.length} of quorum ${approval.quorum}  (approvers: ${approval.approvers.join(', ')})`,
    `  approval ${approval.approvalId}: requested ${approval.createdAt}, expires ${approval.expiresAt}${closed}`,
  ];
  if (approval.expiredReason) lines.push(`  expired: ${approval.expiredReason}`);
  for (const d of approval.decisions) lines.push(`  ${d.at}  ${d.decision.padEnd(7)}  ${d.approver}${d.comment ? `  ${JSON.stringify(d.comment)}` : ''}`);
  if (approval.decisions.length === 0) lines.push('  no decision yet');
  return lines;
}

/** `backfill approvals RUN [--json]`: the run's approvals, each with its stage, status, approvers, quorum and decisions (never a task token). */
export const approvalsCommand: CommandDefinition = {
  name: 'approvals',
  summary: 'the run\'s approvals: stage, status, approvers, quorum, and who decided when, with their comment',
  arguments: ['<run>'],
  options: [JSON_OPTION],
  target: 'any',
  async run({ args, options, io, target }) {
    const runId = args[0]!;
    const t = await target();
    await readRun(t, runId);
    const approvals = await listRunApprovals(t.deps, runId);
    if (options.json) io.out(JSON.stringify(approvals));
    else if (approvals.length === 0) io.out(`Run ${runId} has no approvals (its spec names no approvers, or no stage has reached its approval yet)`);
    else io.out([`Approvals of run ${runId}`, ...approvals.flatMap(approvalLines)].join('\n'));
    return 0;
  },
};
