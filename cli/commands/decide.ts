import { z } from 'zod';
import type { CommandDefinition } from '../commandTable';
import { JSON_OPTION } from '../commandTable';
import { DecisionEndpointError, DecisionRefusedError, NoDecisionEndpointError } from '../errors';
import { readRun } from '../runs/runProgress';

const DecideOptions = z.object({ comment: z.string().default(''), approval: z.string().min(1).optional(), json: z.boolean().optional() });

/** The decision endpoint's JSON answer (lambdas/lib/approval/decide/decideAsCaller.ts). */
const AnswerSchema = z.union([
  z.object({ refused: z.string(), message: z.string() }),
  z.object({
    runId: z.string(),
    approvalId: z.string(),
    approver: z.string(),
    outcome: z.enum(['pending', 'approved', 'rejected', 'undelivered', 'redelivered']),
    approvedBy: z.array(z.string()).optional(),
    quorum: z.number().optional(),
    decided: z.enum(['approved', 'rejected']).optional(),
  }),
]);
type Decided = Exclude<z.infer<typeof AnswerSchema>, { refused: string }>;

/** What a recorded decision means for the run, in words. */
function outcomeLine(answer: Decided): string {
  const head = `approval ${answer.approvalId} of run ${answer.runId}`;
  switch (answer.outcome) {
    case 'pending':
      return `recorded: ${answer.approver} approved ${head}; approved by ${answer.approvedBy?.length ?? 0} of the ${answer.quorum} needed (${answer.approvedBy?.join(', ')}): the run still waits for the others`;
    case 'approved':
      return `recorded: ${answer.approver} approved ${head}; quorum of ${answer.quorum} reached (${answer.approvedBy?.join(', ')}): the run goes on with the rest in waves`;
    case 'rejected':
      return `recorded: ${answer.approver} rejected ${head}: the run stops and ends REJECTED (nothing beyond the stage is written)`;
    case 'undelivered':
      return `recorded (${answer.decided}), but run ${answer.runId} no longer waits (its wait timed out or it was stopped); if it is resumed, it goes on with this decision`;
    case 'redelivered':
      return `${head} was already ${answer.decided}, but that answer had not reached the run, which still waits: re-sent now (nothing new recorded); the run ${answer.decided === 'approved' ? 'goes on' : 'stops and ends REJECTED'}`;
  }
}

/**
 * `backfill approve|reject RUN [--comment TEXT] [--approval ID]`: decides the run's open approval as
 * the caller (on AWS the SigV4-signed identity AWS verifies; locally `local:<os user>`), through the
 * stack's decision endpoint, the same path as the approval page (approvers, quorum, self-approval, audit).
 */
function decideCommand(decision: 'approve' | 'reject'): CommandDefinition {
  return {
    name: decision,
    summary:
      decision === 'approve'
        ? 'approve the run\'s open approval as yourself (an IAM principal among the spec\'s approvers); audited with your identity'
        : 'reject the run\'s open approval as yourself; the run ends REJECTED; audited with your identity',
    arguments: ['<run>'],
    options: [
      { flags: '--comment <text>', description: 'why; recorded with the decision and in the audit trail' },
      { flags: '--approval <id>', description: 'which approval, when the run has more than one open (see `backfill approvals RUN`)' },
      JSON_OPTION,
    ],
    target: 'any',
    async run({ args, options, io, target }) {
      const runId = args[0]!;
      const { comment, approval, json } = DecideOptions.parse(options);
      const t = await target();
      await readRun(t, runId);
      if (t.decisionEndpoint === undefined) throw new NoDecisionEndpointError(t.label, t.kind);
      const response = await t.decisionEndpoint.post(JSON.stringify({ runId, ...(approval === undefined ? {} : { approvalId: approval }), decision, comment }));
      let parsed: ReturnType<typeof AnswerSchema.safeParse>;
      try {
        parsed = AnswerSchema.safeParse(JSON.parse(response.body));
      } catch {
        throw new DecisionEndpointError(t.decisionEndpoint.url, response.statusCode, response.body);
      }
      if (!parsed.success) throw new DecisionEndpointError(t.decisionEndpoint.url, response.statusCode, response.body);
      const answer = parsed.data;
      if (json) io.out(JSON.stringify(answer));
      if ('refused' in answer) throw new DecisionRefusedError(answer.refused, answer.message);
      if (!json) io.out(outcomeLine(answer));
      return 0;
    },
  };
}

export const approveCommand = decideCommand('approve');
export const rejectCommand = decideCommand('reject');
