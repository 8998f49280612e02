import type { AuditEvent } from '../../lambdas/lib/ledger';
import { AUDIT_SK_PREFIX } from '../../lambdas/lib/ledger/keys';
import { queryRunPartition } from '../../lambdas/lib/ledger/queryRunPartition';
import { JSON_OPTION, type CommandDefinition } from '../commandTable';
import { readRun } from '../runs/runProgress';

/** Audit events carry a top-level `actor` from issue 10 on; older ones may name one in their detail. */
type AuditEventWithActor = AuditEvent & { readonly actor?: string };

/** Audit detail fields shown inline; the rest stays in --json. */
const SHOWN_DETAIL = ['reason', 'attempt', 'status', 'mode', 'force', 'Error', 'executionArn'];

function auditLine(event: AuditEventWithActor): string {
  const detail = event.detail ?? {};
  const shown = SHOWN_DETAIL.filter((key) => detail[key] !== undefined).map((key) => `${key}=${typeof detail[key] === 'string' ? detail[key] : JSON.stringify(detail[key])}`);
  return [event.at, event.type.padEnd(22), event.actor ? `by ${event.actor}` : '', event.batchId ?? '', ...shown].filter(Boolean).join('  ').trimEnd();
}

/** `backfill audit RUN [--json]`: the run's audit trail in time order, with who did each step. */
export const auditCommand: CommandDefinition = {
  name: 'audit',
  summary: 'the run\'s audit trail in time order, with the actor of each operator step',
  arguments: ['<run>'],
  options: [JSON_OPTION],
  target: 'any',
  async run({ args, options, io, target }) {
    const t = await target();
    await readRun(t, args[0]!);
    // The records as stored (listAudit keeps only the fields it knew before actors existed).
    const events = (await queryRunPartition(t.deps, args[0]!, AUDIT_SK_PREFIX)) as unknown as AuditEventWithActor[];
    io.out(options.json ? JSON.stringify(events) : events.map(auditLine).join('\n'));
    return 0;
  },
};
