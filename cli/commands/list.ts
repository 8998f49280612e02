import { z } from 'zod';
import { RUN_STATUSES } from '../../lambdas/lib/ledger/transitions';
import { JSON_OPTION, type CommandDefinition } from '../commandTable';
import { UsageError } from '../errors';
import { listRuns } from '../runs/listRuns';

/** The run statuses `--status` takes: the ledger's, and those issue 10 adds. */
const KNOWN_STATUSES: readonly string[] = [...new Set([...RUN_STATUSES, 'STOPPED', 'TIMED_OUT'])];

const ListOptions = z.object({ status: z.string().optional(), json: z.boolean().optional() });

/** `backfill list [--status S] [--json]`: the runs in the ledger, newest first. */
export const listCommand: CommandDefinition = {
  name: 'list',
  summary: 'the runs in the ledger, newest first',
  options: [{ flags: '--status <status>', description: `only runs in this status (${KNOWN_STATUSES.join(', ')})` }, JSON_OPTION],
  target: 'any',
  async run({ options, io, target }) {
    const o = ListOptions.parse(options);
    if (o.status !== undefined && !KNOWN_STATUSES.includes(o.status)) {
      throw new UsageError(`--status must be one of ${KNOWN_STATUSES.join(', ')}, got ${JSON.stringify(o.status)}`);
    }
    const runs = await listRuns((await target()).deps, { status: o.status });
    if (o.json) {
      io.out(JSON.stringify(runs));
      return 0;
    }
    if (runs.length === 0) io.err(o.status ? `no run is ${o.status}` : 'no runs yet');
    for (const run of runs) io.out(`${run.createdAt}  ${run.status.padEnd(26)} ${run.runId}  ${run.transform}  ${run.startedBy ?? 'unknown'}`);
    return 0;
  },
};
