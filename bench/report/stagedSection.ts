import { COST_RATIO_GOAL, OVERHEAD_GOAL, TIME_RATIO_GOAL, type OverheadPart, type StagedResults } from '../staged/summarizeStaged';
import type { Summary } from '../stats';

const num = (value: number, digits: number) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const range = (s: Summary, f: (v: number) => string) => `**${f(s.median)}** (${f(s.min)}–${f(s.max)})`;
const sec = (v: number) => `${num(v, 1)} s`;
const pct = (v: number) => `${v >= 0 ? '+' : ''}${num(v * 100, 1)} %`;
const ratio = (v: number) => num(v, 2);
const usd = (v: number) => `$${num(v, 5)}`;
const PART_LABELS: Record<OverheadPart, string> = {
  plan: 'Plan (stage manifests)',
  processing: "the stages' Maps against the one ProcessBatches Map",
  validate: 'ValidateStage',
  stageSteps: 'NextStage / CompleteStage / PassStage',
  finalize: 'Finalize',
  other: 'the rest (engine, Choice states, start-up)',
};
const verdict = (met: boolean | undefined) => (met === undefined ? '—' : met ? 'met' : '**not met**');

/**
 * The staged rollout's figures as a Markdown table (the docs' section and the console summary).
 * @example
 *   stagedMarkdown(results.staged); // '| figure (median, min–max of 3 pairs) | value | goal |\n…'
 */
export function stagedMarkdown(staged: StagedResults): string {
  const rows = [
    `| figure (median, min–max of ${staged.pairs} pairs, ${staged.records.toLocaleString('en-US')} records) | value | goal |`,
    '|---|---|---|',
    `| unstaged run, wall time | ${range(staged.unstagedSeconds, sec)} | |`,
    `| staged run (canary + waves, each validated), wall time, approval wait excluded | ${range(staged.stagedSeconds, sec)} | |`,
    `| **overhead** = (staged − unstaged) ÷ unstaged, per pair | ${range(staged.overhead, pct)} | ≤ +${num(OVERHEAD_GOAL * 100, 0)} %: ${verdict(staged.goals.overhead)} |`,
    `| overhead in CPU time of the run's process (less moved by other load on the machine) | ${range(staged.cpuOverhead, pct)} | |`,
    `| ValidateStage, all stages | ${range(staged.validateSeconds, sec)} | |`,
    ...Object.entries(staged.validateSecondsByStage).map(([name, s]) => `| ValidateStage, ${name} | ${range(s, sec)} | |`),
    ...Object.entries(staged.overheadSecondsByPart ?? {}).map(([part, s]) => `| extra time staged − unstaged: ${PART_LABELS[part as OverheadPart]} | ${range(s, sec)} | |`),
  ];
  if (staged.load) rows.push(`| machine while measuring | ${staged.load.loaded ? '**' : ''}${staged.load.verdict}${staged.load.loaded ? '**' : ''} | |`);
  const f = staged.forecast;
  if (f) {
    rows.push(
      `| canary's forecast of the rest's time | ${range(f.forecastSeconds, sec)} | |`,
      `| measured rest: first wave's start to the run's end | ${range(f.restWallSeconds, sec)} | |`,
      `| measured rest: the waves' distributed Maps alone | ${range(f.restProcessingSeconds, sec)} | |`,
      `| **time: forecast ÷ measured rest** | ${range(f.timeRatio, ratio)} | ${ratio(TIME_RATIO_GOAL.min)}–${ratio(TIME_RATIO_GOAL.max)}: ${verdict(staged.goals.time)} |`,
      `| time: forecast ÷ the waves' Maps alone | ${range(f.processingTimeRatio, ratio)} | |`,
      `| mean worker call, canary / rest | ${range(f.meanWorkerCallSeconds.canary, (v) => num(v, 2))} / ${range(f.meanWorkerCallSeconds.rest, (v) => num(v, 2))} s | |`,
      `| mean worker call of the unstaged run, its first calls (as many as the canary's) / the others | ${range(f.meanWorkerCallSeconds.unstagedFirst, (v) => num(v, 2))} / ${range(f.meanWorkerCallSeconds.unstagedRest, (v) => num(v, 2))} s | |`,
      `| canary's forecast of the rest's cost | ${range(f.forecastUsd, usd)} | |`,
      `| measured rest's cost (bench cost model, every request, call and transition after the canary) | ${range(f.restUsd, usd)} | |`,
      `| measured rest's cost, its workers only (what the forecast scales) | ${range(f.restWorkersUsd, usd)} | |`,
      `| **cost: forecast ÷ measured rest** | ${range(f.costRatio, ratio)} | ${ratio(COST_RATIO_GOAL.min)}–${ratio(COST_RATIO_GOAL.max)}: ${verdict(staged.goals.cost)} |`,
      `| cost: forecast ÷ the rest's workers | ${range(f.workersCostRatio, ratio)} | |`,
      ...Object.entries(f.byService).map(([service, v]) => `| cost by service, ${service}: forecast / rest / rest's workers (medians) | ${usd(v.forecastUsd)} / ${usd(v.restUsd)} / ${usd(v.restWorkersUsd)} | |`),
    );
  } else {
    rows.push('| forecast | the canary gave no forecast (see its evidence) | |');
  }
  return rows.join('\n');
}
