import type { BackfillResult, SpecOverrides } from '../jobs';
import { fixtureDir, nextRunId } from '../measure';
import { runChild } from '../runChild';
import { describeLoad, readLoad } from './machineLoad';
import type { StagedPair } from './summarizeStaged';

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * `repeats` pairs of full backfills of the same seeded data, unstaged and staged, each in its own
 * process; the order inside a pair alternates (unstaged first, then staged first) so a machine
 * growing busier or idler during the phase does not favour one side. The machine's load is read
 * before and after each pair (see machineLoad).
 */
export async function measureStagedPairs(workDir: string, records: number, spec: SpecOverrides, repeats: number, log: (line: string) => void): Promise<StagedPair[]> {
  const pairs: StagedPair[] = [];
  const run = (staged: boolean) =>
    runChild<BackfillResult>({ kind: 'backfill', fixtureDir: fixtureDir(workDir, records), records, spec, runId: nextRunId(staged ? `staged-${records}` : `unstaged-${records}`), timeStates: true, ...(staged ? { staged: true } : {}) });
  for (let r = 1; r <= repeats; r++) {
    const stagedFirst = r % 2 === 0;
    const before = readLoad();
    const first = await run(stagedFirst);
    const second = await run(!stagedFirst);
    const after = readLoad();
    const runs = stagedFirst ? { staged: first, unstaged: second } : { unstaged: first, staged: second };
    const pair = { ...runs, load: { before, after } };
    pairs.push(pair);
    const validate = pair.staged.staged?.timeline.validateMs ?? 0;
    log(
      `        ${records.toLocaleString('en-US')} records, pair ${r}/${repeats} (${stagedFirst ? 'staged' : 'unstaged'} first): unstaged ${seconds(pair.unstaged.wallMs)} s, ` +
        `staged ${seconds(pair.staged.wallMs)} s (ValidateStage ${seconds(validate)} s); machine ${describeLoad(before)} before, ${describeLoad(after)} after`,
    );
  }
  return pairs;
}
