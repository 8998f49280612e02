import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readSchedules, schedulerStartExecutionInput, substituteSchedulerContext } from '../../infra/schedules';
import { SchedulerContextError } from '../../infra/schedules/errors';
import { scheduledRunId } from '../../lambdas/lib/spec';
import type { CommandDefinition } from '../commandTable';
import { UsageError } from '../errors';
import { firingOutcome } from '../runs/firingOutcome';
import { startExecution } from '../runs/startExecution';
import { targetFlags } from './targetFlags';

const FireOptions = z.object({ at: z.string(), attempt: z.string().optional() });

/** The flag of `schedule fire` that gives each Scheduler context attribute. */
const FLAG_OF_ATTRIBUTE: Readonly<Record<string, string>> = { scheduledTime: '--at', attemptNumber: '--attempt' };

/** The input Scheduler would send, its context attributes substituted; a bad value is named by its flag. */
function substituted(input: string, invocation: Parameters<typeof substituteSchedulerContext>[1]): string {
  try {
    return substituteSchedulerContext(input, invocation);
  } catch (error) {
    const flag = error instanceof SchedulerContextError ? FLAG_OF_ATTRIBUTE[error.attribute] : undefined;
    if (!flag || !(error instanceof SchedulerContextError)) throw error;
    throw new UsageError(error.message.replace(error.attribute, flag), { cause: error });
  }
}

/** The `schedules` of cdk.json's context, as the stack reads them (infra/schedules). */
function schedulesOf(cwd: string) {
  let context: unknown;
  try {
    context = (JSON.parse(readFileSync(join(cwd, 'cdk.json'), 'utf8')) as { context?: { schedules?: unknown } }).context?.schedules;
  } catch (error) {
    throw new UsageError(`cannot read the schedules from ${join(cwd, 'cdk.json')}: ${(error as Error).message}; run backfill from the repository root`, { cause: error });
  }
  return readSchedules(context, cwd);
}

/**
 * `backfill schedule fire NAME --at TIME`: starts exactly what the schedule's Scheduler target would
 * start at TIME (its Input with the context attributes substituted, no execution name), so firing
 * twice for one time starts one run.
 */
export const scheduleFireCommand: CommandDefinition = {
  name: 'schedule fire',
  summary: 'start what schedule NAME (cdk.json context "schedules") would start at TIME: its input, context attributes substituted',
  arguments: ['<name>'],
  options: [
    { flags: '--at <time>', description: 'the scheduled time, as Scheduler sends it: UTC, whole seconds, e.g. 2026-12-01T06:00:00Z', required: true },
    { flags: '--attempt <n>', description: 'the attempt number Scheduler would send (default 1; a retry is 2, 3, …)' },
  ],
  target: 'any',
  async run({ args, options, io, target }) {
    const name = args[0]!;
    const o = FireOptions.parse(options);
    const schedules = schedulesOf(io.cwd);
    const schedule = schedules.find((s) => s.name === name);
    if (!schedule) throw new UsageError(`no schedule ${JSON.stringify(name)} in cdk.json's context "schedules" (it has: ${schedules.map((s) => s.name).join(', ') || 'none'})`);
    if (o.attempt !== undefined && !/^[0-9]+$/.test(o.attempt)) throw new UsageError(`--attempt must be a whole number (Scheduler's attempt number: 1, a retry 2, 3, …), got ${JSON.stringify(o.attempt)}`);
    const attemptNumber = o.attempt === undefined ? 1 : Number(o.attempt);
    const input = substituted(schedulerStartExecutionInput(schedule, schedule.spec), {
      scheduledTime: o.at,
      // Scheduler's own id of one invocation; locally a fresh one per firing, as Scheduler's retries of one invocation share it.
      executionId: `local-${randomUUID()}`,
      attemptNumber,
    });
    const t = await target();
    // Scheduler's universal target passes no Name: Step Functions names the execution itself.
    const { executionArn } = await startExecution(t.sfn, { stateMachineArn: t.resources.backfillStateMachineArn, input: JSON.parse(input) as unknown });
    const runId = scheduledRunId(name, o.at);
    const outcome = await firingOutcome(t, executionArn, runId, io);
    if (outcome.kind === 'alreadyStarted') {
      io.out(`Schedule ${name} had already fired for ${o.at}: execution ${executionArn} ended AlreadyStarted and started nothing; run ${runId} is ${outcome.runStatus}`);
      io.out(`  status     backfill status ${runId} ${targetFlags(options)}`);
      return 0;
    }
    io.out(`Fired schedule ${name} for ${o.at}: run ${runId}`);
    io.out(`  execution  ${executionArn}`);
    io.out(`  watch it   backfill watch ${runId} ${targetFlags(options)}`);
    return 0;
  },
};
