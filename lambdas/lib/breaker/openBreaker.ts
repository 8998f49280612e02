import type { Deps } from '../runtime/Deps';
import { cutText } from '../text/cutText';
import { appendBreakerAudit } from './breakerAudit';
import { readBreaker, type BreakerAlarm, type BreakerRecord, type TriggeringAlarm } from './BreakerRecord';
import { updateBreaker } from './updateBreaker';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

export interface OpenBreakerRequest {
  /** `alarm:<name>` for an alarm, else the operator. */
  readonly by: string;
  readonly reason: string;
  readonly alarm?: BreakerAlarm;
  readonly triggeringAlarms?: readonly TriggeringAlarm[];
  /** When the alarm entered ALARM (its state's timestamp): OKs older than the latest are ignored. */
  readonly alarmAt?: string;
}

/** What a breaker write did: `changed` false when the breaker already was in the state asked for. */
export interface BreakerChange {
  readonly changed: boolean;
  readonly breaker: BreakerRecord;
}

/** As much of a reason as the record keeps (an alarm's reason can be long). */
export const REASON_CHARS = 2_000;
/** What the breaker forgets when it opens: its last closing and any OK seen before. */
const CLEARED_ON_OPEN = ['closedAt', 'closedBy', 'closeReason', 'okSince', 'autoCloseAfterSeconds', 'notifiedAt'];

const isLater = (at: string, than: string | undefined): boolean => than === undefined || Date.parse(at) > Date.parse(than);

/**
 * Opens the breaker (CLOSED or no record → OPEN) with who, why, the alarm and its triggering child
 * alarms, and audits BreakerOpened. Every run's gate is then shut: no batch starts writing. Already
 * OPEN: nothing changes (`changed: false`), except that an OK seen since is forgotten, since the
 * alarm is back in ALARM (auto-close counts from its next OK), and a later `alarmAt` is kept.
 * @example
 *   await openBreaker(deps, { by: 'alarm:backfill-health', reason: 'Threshold Crossed: 1 datapoint ...', alarm: { name: 'backfill-health', arn } });
 *   // { changed: true, breaker: { state: 'OPEN', ... } }
 */
export async function openBreaker(deps: LedgerDeps, request: OpenBreakerRequest): Promise<BreakerChange> {
  const openedAt = new Date(deps.clock.nowMs()).toISOString();
  const reason = cutText(request.reason, REASON_CHARS);
  const set = {
    state: 'OPEN',
    openedAt,
    openedBy: request.by,
    reason,
    ...(request.alarm ? { alarm: request.alarm } : {}),
    ...(request.triggeringAlarms ? { triggeringAlarms: request.triggeringAlarms } : {}),
    ...(request.alarmAt ? { alarmAt: request.alarmAt } : {}),
  };
  const remove = [...CLEARED_ON_OPEN, ...(request.alarm ? [] : ['alarm']), ...(request.triggeringAlarms ? [] : ['triggeringAlarms']), ...(request.alarmAt ? [] : ['alarmAt'])];
  const opened = await updateBreaker(deps, { set, remove, whileState: 'CLOSED' });
  if (opened) {
    await appendBreakerAudit(deps, { type: 'BreakerOpened', actor: request.by, detail: { reason, ...(request.alarm ? { alarm: request.alarm } : {}), ...(request.triggeringAlarms ? { triggeringAlarms: request.triggeringAlarms } : {}) } });
    return { changed: true, breaker: opened };
  }
  const current = await readBreaker(deps);
  const laterAlarm = request.alarmAt !== undefined && isLater(request.alarmAt, current.alarmAt);
  if (current.state === 'OPEN' && (current.okSince !== undefined || laterAlarm)) {
    const renewed = await updateBreaker(deps, { set: laterAlarm ? { alarmAt: request.alarmAt } : {}, remove: ['okSince'], whileState: 'OPEN', whileVersion: current.version });
    return { changed: false, breaker: renewed ?? (await readBreaker(deps)) };
  }
  return { changed: false, breaker: current };
}
