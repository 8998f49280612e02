import { stateEntered, stateExited } from '../../local/engine/history/historyDetails';
import { isRestStart, stageOfProcessEntry, stageTimeline, type TimedHistoryEvent } from '../../bench/staged/stageTimeline';

/** A staged run's parent history as the engine shapes it, with the ms each event arrived. */
function history(options: { approvalMs?: number } = {}): TimedHistoryEvent[] {
  const events: TimedHistoryEvent[] = [];
  let at = 0;
  const state = (type: string, name: string, ms: number, input: unknown = {}) => {
    events.push({ atMs: at, event: stateEntered(type, name, input) });
    at += ms;
    events.push({ atMs: at, event: stateExited(type, name, {}) });
  };
  const stage = (name: string, processMs: number, validateMs: number, approvalMs?: number) => {
    state('Task', 'NextStage', 5);
    state('Choice', 'StageChoice', 0);
    state('Map', 'ProcessStage', processMs, { next: { done: false, stage: { name } } });
    state('Task', 'ValidateStage', validateMs);
    state('Choice', 'NeedsApproval', 0);
    if (approvalMs !== undefined) state('Task', 'RequestApproval', approvalMs);
    state('Task', 'CompleteStage', 5);
  };
  state('Task', 'Plan', 100);
  stage('canary', 1_000, 200, options.approvalMs);
  stage('wave-1', 4_000, 300);
  stage('wave-2', 10_000, 400);
  state('Task', 'NextStage', 5);
  state('Task', 'Finalize', 50);
  return events;
}

describe('stageTimeline', () => {
  it('times each stage\'s Map and ValidateStage, and the rest of the run from the first wave', () => {
    // WHEN
    const events = history();
    const end = events[events.length - 1]!.atMs + 10;
    const timeline = stageTimeline(events, end);
    // THEN
    expect(timeline.stages).toEqual([
      { name: 'canary', processMs: 1_000, validateMs: 200, approvalWaitMs: 0 },
      { name: 'wave-1', processMs: 4_000, validateMs: 300, approvalWaitMs: 0 },
      { name: 'wave-2', processMs: 10_000, validateMs: 400, approvalWaitMs: 0 },
    ]);
    expect(timeline.validateMs).toBe(900);
    expect(timeline.stateMs).toMatchObject({ Plan: 100, NextStage: 20, CompleteStage: 15, Finalize: 50 });
    // The canary is done once wave-1's Map is entered: 100 + 5 + 1,000 + 200 + 5 + 5 = 1,315 ms in.
    expect(timeline.restStartMs).toBe(1_315);
    expect(timeline.restWallMs).toBe(end - 1_315);
    expect(timeline.restProcessingMs).toBe(14_000);
    // From wave-1's Map on: its 4 states (ProcessStage, ValidateStage, NeedsApproval, CompleteStage),
    // wave-2's 6, then NextStage and Finalize.
    expect(timeline.restTransitions).toBe(4 + 6 + 2);
  });

  it('puts the approval wait on its stage, outside the rest of the run', () => {
    // GIVEN an approval that took a minute after the canary
    const events = history({ approvalMs: 60_000 });
    const end = events[events.length - 1]!.atMs;
    // WHEN
    const timeline = stageTimeline(events, end);
    // THEN
    expect(timeline.approvalWaitMs).toBe(60_000);
    expect(timeline.stages[0]!.approvalWaitMs).toBe(60_000);
    expect(timeline.restStartMs).toBe(1_315 + 60_000);
    expect(timeline.restWallMs).toBe(end - 61_315);
  });

  it('gives no rest for a run that is its canary alone', () => {
    const events = history().filter((e) => e.atMs < 1_315);
    const timeline = stageTimeline(events, 1_400);
    expect(timeline.restStartMs).toBeUndefined();
    expect(timeline.restWallMs).toBeUndefined();
    expect(timeline.restProcessingMs).toBe(0);
  });

  it('names the stage of a ProcessStage entry and refuses one without it', () => {
    expect(stageOfProcessEntry(stateEntered('Map', 'ProcessStage', { next: { stage: { name: 'wave-3' } } }))).toBe('wave-3');
    expect(stageOfProcessEntry(stateEntered('Task', 'Plan', {}))).toBeUndefined();
    expect(stageOfProcessEntry(stateExited('Map', 'ProcessStage', {}))).toBeUndefined();
    expect(isRestStart(stateEntered('Map', 'ProcessStage', { next: { stage: { name: 'canary' } } }))).toBe(false);
    expect(isRestStart(stateEntered('Map', 'ProcessStage', { next: { stage: { name: 'wave-1' } } }))).toBe(true);
    expect(() => stageOfProcessEntry(stateEntered('Map', 'ProcessStage', { next: {} }))).toThrow(/carries no \$\.next\.stage\.name/);
  });
});
