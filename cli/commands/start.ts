import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseSpecText } from '../../lambdas/lib/spec';
import { validateExecutionInput } from '../../lambdas/lib/spec/validateExecutionInput';
import type { CommandDefinition } from '../commandTable';
import { defaultExecutionName, isExecutionName } from '../runs/executionNames';
import { ExecutionNameTakenError, UsageError } from '../errors';
import { requireSpecResources } from '../runs/requireSpecResources';
import { startExecution } from '../runs/startExecution';
import { targetFlags } from './targetFlags';

const StartOptions = z.object({ spec: z.string(), name: z.string().optional() });

function readSpecFile(cwd: string, file: string): Record<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(cwd, file));
  } catch (error) {
    throw new UsageError(`cannot read --spec ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseSpecText(bytes) as Record<string, unknown>;
}

/** `backfill start --spec FILE [--name NAME]`: StartExecution of the backfill state machine with the spec and who starts it. */
export const startCommand: CommandDefinition = {
  name: 'start',
  summary: 'start a run: the spec (plus who starts it) as the input of a new execution; the same spec twice is the same run',
  options: [
    { flags: '--spec <file>', description: 'the spec (JSON), as the console would take it', required: true },
    { flags: '--name <name>', description: 'the execution name = run id (default: <jobName>-<first 12 hex of the spec hash>)' },
  ],
  target: 'any',
  async run({ options, io, target }) {
    const o = StartOptions.parse(options);
    if (o.name !== undefined && !isExecutionName(o.name)) throw new UsageError(`--name must be 1–80 of A-Z a-z 0-9 _ - (a Step Functions execution name), got ${JSON.stringify(o.name)}`);
    const input = readSpecFile(io.cwd, o.spec);
    // Validated here too, so a bad spec is refused before anything starts (ValidateSpec would fail the execution).
    const { spec, specHash } = validateExecutionInput(input, o.name ?? 'unnamed');
    const name = o.name ?? (typeof input.runId === 'string' ? input.runId : defaultExecutionName(spec.jobName, specHash));
    const t = await target();
    await requireSpecResources(t, spec);
    const startedBy = await t.callerIdentity();
    let executionArn: string;
    try {
      ({ executionArn } = await startExecution(t.sfn, { stateMachineArn: t.resources.backfillStateMachineArn, name, input: { ...input, startedBy } }));
    } catch (error) {
      if (!(error instanceof ExecutionNameTakenError)) throw error;
      throw new UsageError(
        `${error.message}. The run ${name} was started before: \`backfill status ${name} ${targetFlags(options)}\` shows it; ` +
          `\`backfill resume ${name}\` resumes it if it failed or was stopped; give --name to start a new run with this spec`,
        { cause: error },
      );
    }
    const flags = targetFlags(options);
    io.out(`Started run ${name}`);
    io.out(`  execution  ${executionArn}`);
    io.out(`  started by ${startedBy}`);
    io.out(`  watch it   backfill watch ${name} ${flags}`);
    return 0;
  },
};
