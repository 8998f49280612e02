import { z } from 'zod';
import { readBreaker } from '../../lambdas/lib/breaker';
import { breakerView, type BreakerView } from '../../lambdas/lib/control';
import type { CommandDefinition } from '../commandTable';
import { JSON_OPTION } from '../commandTable';
import { UsageError } from '../errors';
import { breakerAlarmLines } from '../runs/breakerLines';
import { postBreakerControl } from '../runs/postControl';

/**
 * The breaker for a terminal, one line per fact.
 * @example
 *   formatBreaker({ state: 'OPEN', openedBy: 'alarm:Backfill-Breaker', openedAt: '2026-12-01T16:00:00.000Z', reason: 'WriteThrottles in ALARM' });
 *   // ['breaker          OPEN since 2026-12-01T16:00:00.000Z by alarm:Backfill-Breaker: WriteThrottles in ALARM']
 */
export function formatBreaker(breaker: BreakerView): string[] {
  if (breaker.state === 'OPEN') {
    return [
      `breaker          OPEN since ${breaker.openedAt ?? '(unknown)'} by ${breaker.openedBy ?? 'unknown'}: ${breaker.reason ?? '(no reason recorded)'}`,
      ...(breaker.alarm ? [`  alarm          ${breaker.alarm}`] : []),
      ...breakerAlarmLines(breaker),
    ];
  }
  return [`breaker          CLOSED${breaker.closedAt ? ` since ${breaker.closedAt} by ${breaker.closedBy ?? 'unknown'}: ${breaker.closeReason ?? '(no reason recorded)'}` : ''}`];
}

/** `backfill breaker status [--json]`: the stack's breaker (one for every run), read from the ledger. */
export const breakerStatusCommand: CommandDefinition = {
  name: 'breaker status',
  summary: 'the circuit breaker (one per stack, shared by every run): OPEN or CLOSED, since when, by whom (an alarm or an operator) and why',
  options: [JSON_OPTION],
  target: 'any',
  async run({ options, io, target }) {
    const breaker = breakerView(await readBreaker((await target()).deps));
    io.out(options.json ? JSON.stringify(breaker) : formatBreaker(breaker).join('\n'));
    return 0;
  },
};

const ReasonOptions = z.object({ reason: z.string(), json: z.boolean().optional() });

function breakerChangeCommand(action: 'open' | 'close'): CommandDefinition {
  return {
    name: `breaker ${action}`,
    summary:
      action === 'open'
        ? 'open the circuit breaker by hand: every run\'s gate shuts (no batch starts writing) and each applies its onFailure policy; audited with your identity'
        : 'close the circuit breaker: paused runs may then be resumed (`backfill resume`); audited with your identity',
    options: [{ flags: '--reason <text>', description: `why (required); recorded on the breaker and in its audit trail with who ${action === 'open' ? 'opened' : 'closed'} it`, required: true }, JSON_OPTION],
    target: 'any',
    async run({ options, io, target }) {
      const { reason, json } = ReasonOptions.parse(options);
      if (!reason.trim()) throw new UsageError(`breaker ${action} acts on every run: say why with --reason "..." (recorded with who did it)`);
      const outcome = await postBreakerControl(await target(), { action: `breaker-${action}`, reason });
      if (json) {
        io.out(JSON.stringify(outcome));
        return 0;
      }
      const head = outcome.changed ? `${action === 'open' ? 'Opened' : 'Closed'} the breaker` : `the breaker was already ${action === 'open' ? 'OPEN' : 'CLOSED'}: nothing changed`;
      io.out([head, ...formatBreaker(outcome.breaker).map((line) => `  ${line}`)].join('\n'));
      if (action === 'close' && outcome.changed) io.out('  next       paused runs wait for `backfill resume RUN` (`backfill list` shows them)');
      return 0;
    },
  };
}

export const breakerOpenCommand = breakerChangeCommand('open');
export const breakerCloseCommand = breakerChangeCommand('close');
