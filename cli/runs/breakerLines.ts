import type { BreakerView } from '../../lambdas/lib/control';

/**
 * What an OPEN breaker's one line leaves out: the child alarms that tripped it (a composite's
 * triggeringAlarms) and since when its alarm is OK again; one line each, labels 15 wide.
 * @example
 *   breakerAlarmLines({ state: 'OPEN', triggeringAlarms: [{ name: 'Backfill-Throttles', state: 'ALARM' }], okSince: '2026-12-01T16:05:00.000Z' });
 *   // ['  tripped by     Backfill-Throttles (ALARM)', '  OK since       2026-12-01T16:05:00.000Z (the alarm is OK again; …)']
 */
export function breakerAlarmLines(breaker: BreakerView): string[] {
  if (breaker.state !== 'OPEN') return [];
  const children = breaker.triggeringAlarms ?? [];
  return [
    ...(children.length > 0 ? [`  tripped by     ${children.map((child) => `${child.name} (${child.state})`).join(', ')}`] : []),
    ...(breaker.okSince ? [`  OK since       ${breaker.okSince} (the alarm is OK again; the breaker stays OPEN until closed)`] : []),
  ];
}
