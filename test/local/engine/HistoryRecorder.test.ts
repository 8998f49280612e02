import type { HistoryEventBody } from '../../../local/engine';
import { taskResourceKind } from '../../../local/engine/history/historyDetails';
import { HistoryRecorder } from '../../../local/engine/history/HistoryRecorder';
import { fn } from './fixtures';

describe('HistoryRecorder', () => {
  it('keeps nothing of ended Task attempts, including those that failed before they were scheduled', () => {
    // GIVEN a recorder
    const events: HistoryEventBody[] = [];
    const recorder = new HistoryRecorder((event) => events.push(event), () => {});
    const kind = taskResourceKind(fn('plan'));
    // WHEN 1,000 attempts end: half fail before being scheduled (a bad TimeoutSecondsPath), half succeed after it
    for (let i = 0; i < 1_000; i++) {
      const attempt = recorder.beginTask('Plan', kind);
      if (i % 2 === 0) {
        attempt.failed('States.Runtime', 'TimeoutSecondsPath matched nothing');
      } else {
        attempt.scheduled({ parameters: { i } });
        attempt.succeeded({ ok: i });
      }
    }
    // THEN no attempt stays open, and only the scheduled ones left events (Scheduled, Started, Succeeded)
    expect(recorder.openAttemptCount).toBe(0);
    expect(events).toHaveLength(500 * 3);
    expect(events.filter((event) => event.type === 'LambdaFunctionFailed')).toEqual([]);
  });

  it('ignores a second end of one attempt and anything after close()', () => {
    // GIVEN an attempt that succeeded
    const events: HistoryEventBody[] = [];
    const recorder = new HistoryRecorder((event) => events.push(event), () => {});
    const attempt = recorder.beginTask('Approve', taskResourceKind('arn:aws:states:::lambda:invoke.waitForTaskToken'));
    attempt.scheduled({ parameters: {} });
    attempt.succeeded({ approved: true });
    // WHEN it is ended again, submitted late, and the recorder closed before another attempt ends
    attempt.failed('Late', 'too late');
    attempt.submitted({ Payload: null });
    const other = recorder.beginTask('Approve', taskResourceKind('arn:aws:states:::lambda:invoke.waitForTaskToken'));
    other.scheduled({ parameters: {} });
    recorder.close(false);
    other.succeeded({});
    // THEN only the first attempt's events and the second's start were delivered
    expect(events.map((event) => event.type)).toEqual(['TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskScheduled', 'TaskStarted']);
  });
});
