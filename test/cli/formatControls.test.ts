import { formatBreaker } from '../../cli/commands/breaker';
import { formatControls, progressLine } from '../../cli/runs/formatProgress';
import { breakerView } from '../../lambdas/lib/control';
import type { RunProgress } from '../../cli/runs/runProgress';

const OPEN = { state: 'OPEN', openedBy: 'alarm:Backfill-Breaker', openedAt: '2026-12-01T16:00:00.000Z', reason: 'WriteThrottles in ALARM', alarm: 'Backfill-Breaker' } as const;
const PAUSED_BY_BREAKER = { action: 'pause', trigger: 'breaker', by: 'alarm:Backfill-Breaker', reason: 'the breaker opened', at: '2026-12-01T16:00:01.000Z' } as const;

describe('formatControls: the breaker, the pause or abort and the concurrency in backfill status', () => {
  it('a run paused by the breaker: the breaker, who paused it and why, and what to do (close the breaker first)', () => {
    expect(formatControls({ breaker: OPEN, control: PAUSED_BY_BREAKER }, { runId: 'r1', status: 'PAUSED' })).toEqual([
      '  breaker          OPEN since 2026-12-01T16:00:00.000Z by alarm:Backfill-Breaker: WriteThrottles in ALARM (alarm Backfill-Breaker)',
      '  paused           by alarm:Backfill-Breaker (the breaker) at 2026-12-01T16:00:01.000Z: the breaker opened',
      '  to go on         backfill breaker close --reason "...", then backfill resume r1   or   backfill abort r1 --reason "..." [--rollback]',
    ]);
  });

  it('an aborting run with --rollback, the breaker closed', () => {
    const control = { action: 'abort', trigger: 'operator', by: 'local:olga', reason: 'wrong target', at: '2026-12-01T16:05:00.000Z', rollback: true } as const;
    expect(formatControls({ breaker: { state: 'CLOSED' }, control }, { runId: 'r1', status: 'ABORTING' })).toEqual([
      '  breaker          CLOSED',
      '  aborted (then rolled back) by local:olga (an operator) at 2026-12-01T16:05:00.000Z: wrong target',
    ]);
  });

  it('a running run with the breaker closed shows only its concurrency and last changes', () => {
    const concurrency = { current: 2, max: 8, changes: [{ at: '2026-12-01T16:00:00.000Z', from: 8, to: 4, why: 'throttles' }, { at: '2026-12-01T16:00:10.000Z', from: 4, to: 2, why: 'throttles' }] };
    expect(formatControls({ breaker: { state: 'CLOSED' }, concurrency }, { runId: 'r1', status: 'RUNNING' })).toEqual([
      '  concurrency      2 of 8',
      '  changes          2026-12-01T16:00:00.000Z 8 → 4: throttles',
      '                   2026-12-01T16:00:10.000Z 4 → 2: throttles',
    ]);
    expect(formatControls({ breaker: { state: 'CLOSED' } }, { runId: 'r1', status: 'RUNNING' })).toEqual([]);
  });

  it('watch\'s line says who paused it, the open breaker and the concurrency', () => {
    const progress = {
      runId: 'r1', status: 'PAUSED', batches: { done: 3, failed: 0, inProgress: 0, total: 10 },
      records: { read: 300, written: 300, unchanged: 0, skipped: 0, malformed: 0, total: 1000 }, failures: [],
      controls: { breaker: OPEN, control: PAUSED_BY_BREAKER, concurrency: { current: 1, changes: [] } },
      codeVersion: 'c', transform: 't@1', createdAt: '', updatedAt: '', starts: 1,
    } satisfies RunProgress;
    expect(progressLine(progress)).toBe('r1 PAUSED: 3/10 batches, 300/1,000 records [paused by alarm:Backfill-Breaker: the breaker opened; breaker OPEN: WriteThrottles in ALARM; concurrency 1]');
  });

  describe('the child alarms that tripped the breaker and since when its alarm is OK (breaker status and status)', () => {
    const record = {
      ...OPEN, alarm: { name: 'Backfill-Breaker', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:Backfill-Breaker' }, version: 3, okSince: '2026-12-01T16:04:00.000Z', alarmAt: '2026-12-01T15:59:59.000Z',
      triggeringAlarms: [
        { name: 'Backfill-Throttles', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:Backfill-Throttles', state: 'ALARM' },
        { name: 'orders-api-p99', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-api-p99', state: 'ALARM' },
      ],
    } as const;

    it('breakerView keeps them (names and states, no ARNs)', () => {
      expect(breakerView(record)).toMatchObject({ triggeringAlarms: [{ name: 'Backfill-Throttles', state: 'ALARM' }, { name: 'orders-api-p99', state: 'ALARM' }], okSince: '2026-12-01T16:04:00.000Z' });
      expect(breakerView(record).triggeringAlarms![0]).toEqual({ name: 'Backfill-Throttles', state: 'ALARM' });
    });

    it('backfill breaker status lists them', () => {
      expect(formatBreaker(breakerView(record))).toEqual([
        'breaker          OPEN since 2026-12-01T16:00:00.000Z by alarm:Backfill-Breaker: WriteThrottles in ALARM',
        '  alarm          Backfill-Breaker',
        '  tripped by     Backfill-Throttles (ALARM), orders-api-p99 (ALARM)',
        '  OK since       2026-12-01T16:04:00.000Z (the alarm is OK again; the breaker stays OPEN until closed)',
      ]);
    });

    it('backfill status lists them under the breaker', () => {
      expect(formatControls({ breaker: breakerView(record), control: PAUSED_BY_BREAKER }, { runId: 'r1', status: 'PAUSED' }).slice(0, 3)).toEqual([
        '  breaker          OPEN since 2026-12-01T16:00:00.000Z by alarm:Backfill-Breaker: WriteThrottles in ALARM (alarm Backfill-Breaker)',
        '    tripped by     Backfill-Throttles (ALARM), orders-api-p99 (ALARM)',
        '    OK since       2026-12-01T16:04:00.000Z (the alarm is OK again; the breaker stays OPEN until closed)',
      ]);
    });
  });
});
