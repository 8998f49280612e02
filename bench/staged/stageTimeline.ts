import type { HistoryEventBody } from '../../local/engine';

/** A parent history event and when the bench saw it (ms since the run started; events arrive synchronously). */
export interface TimedHistoryEvent {
  readonly atMs: number;
  readonly event: HistoryEventBody;
}

/** The states of the staged path (statemachines/backfill.asl.json) the timeline reads. */
export const STAGED_STATES = {
  process: 'ProcessStage',
  validate: 'ValidateStage',
  /** The callback Tasks that wait for people: a first request, and a resumed run waiting again. */
  approvals: ['RequestApproval', 'ResumeApproval'] as readonly string[],
} as const;

/** One stage as the parent's history shows it. */
export interface StageSpan {
  readonly name: string;
  /** Its distributed Map, entered to exited. */
  readonly processMs: number;
  /** Its ValidateStage Task, entered to exited (0 when it has none). */
  readonly validateMs: number;
  /** Its RequestApproval / ResumeApproval Task, entered to exited: waiting for people, excluded from overheads. */
  readonly approvalWaitMs: number;
}

/** Where one staged run spent its time, from its parent history. */
export interface StageTimeline {
  readonly stages: readonly StageSpan[];
  /** Time in each state by name, every entry to its exit summed (e.g. Plan, NextStage, Finalize). */
  readonly stateMs: Readonly<Record<string, number>>;
  readonly validateMs: number;
  readonly approvalWaitMs: number;
  /**
   * When the rest of the run began: the first ProcessStage of a stage other than the canary was
   * entered (the canary then is validated, approved and passed). Absent when there is no such stage.
   */
  readonly restStartMs?: number;
  /** From restStartMs to the end of the run, approval waits after it excluded. */
  readonly restWallMs?: number;
  /** The waves' distributed Maps alone. */
  readonly restProcessingMs: number;
  /** Billable parent transitions (StateEntered events) from restStartMs on. */
  readonly restTransitions: number;
}

interface StateEnteredDetails {
  readonly name?: unknown;
  readonly input?: unknown;
}

const enteredDetails = (event: HistoryEventBody): StateEnteredDetails | undefined =>
  event.type.endsWith('StateEntered') ? (event.stateEnteredEventDetails as StateEnteredDetails | undefined) : undefined;
const exitedName = (event: HistoryEventBody): unknown =>
  event.type.endsWith('StateExited') ? (event.stateExitedEventDetails as { name?: unknown } | undefined)?.name : undefined;

/**
 * The stage a ProcessStage entry runs (`$.next.stage.name` of its input), or undefined for any other event.
 * @example
 *   stageOfProcessEntry({ type: 'MapStateEntered', stateEnteredEventDetails: { name: 'ProcessStage', input: '{"next":{"stage":{"name":"wave-1"}}}' } }); // 'wave-1'
 */
export function stageOfProcessEntry(event: HistoryEventBody): string | undefined {
  const details = enteredDetails(event);
  if (details?.name !== STAGED_STATES.process || typeof details.input !== 'string') return undefined;
  const input = JSON.parse(details.input) as { next?: { stage?: { name?: unknown } } };
  const name = input.next?.stage?.name;
  if (typeof name !== 'string') throw new Error(`a ${STAGED_STATES.process} entry carries no $.next.stage.name; the staged ASL no longer matches bench/staged/stageTimeline.ts`);
  return name;
}

/** True for the event that starts the rest of a run: the first stage after the canary begins processing. */
export const isRestStart = (event: HistoryEventBody): boolean => {
  const stage = stageOfProcessEntry(event);
  return stage !== undefined && stage !== 'canary';
};

/**
 * Reads a staged run's parent history into per-stage spans: each stage's Map, ValidateStage and
 * approval wait; time per state; and the rest of the run after the canary (its wall time, approval
 * waits excluded, and its transitions), which the canary's forecast predicts.
 * @example
 *   const timeline = stageTimeline(events, outcomeAtMs);
 *   timeline.stages.map((s) => s.validateMs); // ValidateStage's time per stage
 */
export function stageTimeline(events: readonly TimedHistoryEvent[], runEndMs: number): StageTimeline {
  const open = new Map<string, number[]>();
  const stateMs: Record<string, number> = {};
  const stages: Array<{ name: string; processMs: number; validateMs: number; approvalWaitMs: number }> = [];
  let restStartMs: number | undefined;
  let restTransitions = 0;
  let approvalWaitAfterRest = 0;
  for (const { atMs, event } of events) {
    const entered = enteredDetails(event);
    if (entered && typeof entered.name === 'string') {
      if (restStartMs === undefined && isRestStart(event)) restStartMs = atMs;
      if (restStartMs !== undefined) restTransitions += 1;
      const stage = stageOfProcessEntry(event);
      if (stage !== undefined) stages.push({ name: stage, processMs: 0, validateMs: 0, approvalWaitMs: 0 });
      open.set(entered.name, [...(open.get(entered.name) ?? []), atMs]);
      continue;
    }
    const name = exitedName(event);
    if (typeof name !== 'string') continue;
    const since = open.get(name)?.pop();
    if (since === undefined) continue;
    const ms = atMs - since;
    stateMs[name] = (stateMs[name] ?? 0) + ms;
    const current = stages[stages.length - 1];
    if (!current) continue;
    if (name === STAGED_STATES.process) current.processMs += ms;
    else if (name === STAGED_STATES.validate) current.validateMs += ms;
    else if (STAGED_STATES.approvals.includes(name)) {
      current.approvalWaitMs += ms;
      if (restStartMs !== undefined) approvalWaitAfterRest += ms;
    }
  }
  const rest = stages.filter((s) => s.name !== 'canary');
  return {
    stages,
    stateMs,
    validateMs: stateMs[STAGED_STATES.validate] ?? 0,
    approvalWaitMs: STAGED_STATES.approvals.reduce((sum, name) => sum + (stateMs[name] ?? 0), 0),
    ...(restStartMs === undefined ? {} : { restStartMs, restWallMs: runEndMs - restStartMs - approvalWaitAfterRest }),
    restProcessingMs: rest.reduce((sum, s) => sum + s.processMs, 0),
    restTransitions,
  };
}
