import { reportKey } from '../../lambdas/lib/artifacts';
import type { RunReport } from '../../lambdas/lib/run';
import { JSON_OPTION, type CommandDefinition } from '../commandTable';
import { RunStateError } from '../errors';
import { formatRunReport } from '../runs/formatRunReport';
import { readJsonArtifact } from '../runs/readArtifact';
import { readRun } from '../runs/runProgress';

/** `backfill report RUN [--json]`: the run report Finalize wrote (reports/<runId>/report.json). */
export const reportCommand: CommandDefinition = {
  name: 'report',
  summary: 'the run report of a finished run (counts, checksum, failures)',
  arguments: ['<run>'],
  options: [JSON_OPTION],
  target: 'any',
  async run({ args, options, io, target }) {
    const runId = args[0]!;
    const t = await target();
    const { run } = await readRun(t, runId);
    const report = (await readJsonArtifact(t.deps, reportKey({ runId }))) ?? run.summary;
    if (!report) throw new RunStateError(runId, `run ${runId} has no report yet (it is ${run.status}; Finalize writes one when it finishes): \`backfill status ${runId}\` shows its progress`);
    io.out(options.json ? JSON.stringify(report) : formatRunReport(report as unknown as RunReport, t.resources.artifactsBucket));
    return 0;
  },
};
