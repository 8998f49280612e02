import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getRun, listBatches, runStatusesAllowing } from '../../../lambdas/lib/ledger';
import type { RunReport } from '../../../lambdas/lib/run';
import { parseSpecText, SpecTextError } from '../../../lambdas/lib/spec';
import { validateExecutionInput } from '../../../lambdas/lib/spec/validateExecutionInput';
import { approvalMessageLine } from '../../approvals/approvalMessageLine';
import { alarmStateLine } from '../../alarms/alarmStateChangeEvent';
import { operationsMessageLine } from '../../alarms/operationsOutbox';
import { unattendedApprover } from '../../approvals/unattendedApprover';
import { ensureDemoSeeded } from '../../runtime/ensureDemoSeeded';
import { executionHistoryStats, localSfnClient, startOrJoinExecution, withResultManifests } from '../../cloud/cloudExecution';
import { startLocalCloud } from '../../cloud/startLocalCloud';
import { requireSpecResources } from '../../runtime/requireSpecResources';
import { isRefusedAtStart, RunFailedError, RunPausedError, RunRefusedError, StoppedByOperatorError, UsageError } from '../errors';
import { describeFaultSpec } from '../../faults';
import { describePausedRun, untilPaused } from '../pausedRun';
import { describeUnrecordedChildFailures } from '../failedChildren';
import { alreadyFinishedLine, formatReport, type AlreadyFinishedReport, type LocalRunSummary } from '../formatReport';
import { describeReleasedLeases, reportLeaseWaits } from '../leaseNotices';
import type { CliOptions } from '../options';
import { ProgressBar } from '../ProgressBar';
import type { CommandIo } from './CommandIo';
import { stopOnInterrupt } from '../stopOnInterrupt';
import { localIdentity } from '../../../cli/identity';

/**
 * Reads `--spec FILE` as strict JSON: a key given twice, an integer beyond 2^53-1 or bytes that are
 * not UTF-8 are refused (parseSpecText), which JSON.parse would let through silently.
 * @throws UsageError when the file cannot be read or is not UTF-8 JSON; InvalidSpecError for duplicate keys.
 */
export function readSpecFile(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read the spec file ${path}: ${(error as Error).message}`);
  }
  try {
    return parseSpecText(bytes);
  } catch (error) {
    if (error instanceof SpecTextError) throw new UsageError(`the spec file ${path} is ${error.message}`);
    throw error;
  }
}

/** How often npm start looks whether its run paused. */
const PAUSE_POLL_MS = 250;

/** The default runId: the job name and the spec's hash, so the same command always names the same run. */
export const defaultRunId = (jobName: string, specHash: string): string => `${jobName}-${specHash.slice(0, 12)}`;

/** Seeds (once), then runs or resumes the backfill and prints the report. */
export async function runCommand(options: CliOptions, io: CommandIo): Promise<number> {
  const input = readSpecFile(options.specFile);
  // Validated before anything starts: an invalid spec writes nothing anywhere.
  // The execution name is the runId only when neither the spec file (runId, schedule) nor --run-id
  // names the run; then the default follows the spec's hash (the name given here is not used).
  const namedInFile = typeof input === 'object' && input !== null && ('runId' in input || 'schedule' in input);
  const validated = validateExecutionInput(input, options.runId ?? 'unnamed');
  const runId = namedInFile || options.runId ? validated.runId : defaultRunId(validated.spec.jobName, validated.specHash);
  if (options.runId && runId !== options.runId) throw new UsageError(`--run-id ${options.runId} contradicts the spec file's runId ${runId}; give one of them`);
  const { spec } = validated;
  const stop = stopOnInterrupt(io.info, (signal) => new StoppedByOperatorError(`Run ${runId}`, signal, options.dataDir).message);
  let bar: ProgressBar | undefined;
  let ours: string | undefined;
  // Map Runs of this run's execution as they end: child executions started, status (the report and failure notes).
  const mapRuns: Array<{ mapRunArn: string; status: string; started: number }> = [];
  let toldHowToDecide = false;
  const note = (line: string) => (bar ? bar.note(line) : io.info(line));
  // A stage the spec's approval gates: decided here through the real page unless a person is to decide.
  const approver = options.approval === 'auto' ? unattendedApprover({ userAgent: `backfill-npm-start/${io.codeVersion} (unattended demo approver)`, note }) : undefined;
  // The same local cloud `backfill local up` serves, in this process: the run goes through its Step Functions API.
  const cloud = await startLocalCloud({
    dataDir: options.dataDir,
    port: 0,
    demo: false,
    codeVersion: io.codeVersion,
    onApprovalMessage: (message) => {
      note(approvalMessageLine(message));
      if (approver) approver.onMessage(message);
      else if (!toldHowToDecide) note('the run waits for a decision: open your link above in a browser (Ctrl-C stops waiting; the same command resumes and waits again)');
      toldHowToDecide = true;
    },
    onOperationsMessage: (message) => note(operationsMessageLine(message)),
    onAlarmStateChange: (event) => {
      const line = alarmStateLine(event);
      if (line) note(line);
    },
    ...(options.faults ? { faults: options.faults } : {}),
    wrapTaskHandler: (name, handler) => stop.wrap(name, reportLeaseWaits((line) => (bar ? bar.note(line) : io.info(line)))(name, handler)),
    onEngineEvent: (executionArn, event) => {
      if (executionArn !== ours || !bar) return;
      if (event.kind === 'map-run-finished') mapRuns.push({ mapRunArn: event.mapRunArn, status: event.status, started: event.progress.started });
      if (event.kind === 'child-succeeded' || event.kind === 'child-failed' || event.kind === 'map-run-started') {
        bar.update(event.progress.succeeded + event.progress.failed, event.progress.totalChildren, 'batches');
      }
    },
  }).catch(async (error: unknown) => {
    await stop.settle();
    throw error;
  });
  const { env } = cloud;
  const sfn = localSfnClient(cloud);
  try {
    if (options.seedOnly) {
      const seed = await ensureDemoSeeded(env.clients, options.records);
      io.out(options.json ? JSON.stringify(seed.marker) : `demo dataset ready (${seed.marker.records} records, seed ${seed.marker.seed})`);
      return 0;
    }
    // Checked before seeding: a spec naming a table or bucket that is not there changes nothing.
    // The demo's own table and bucket exist from the start (LocalEnvironment creates them).
    await requireSpecResources(env.clients, spec);
    const seed = await ensureDemoSeeded(env.clients, options.records);
    if (seed.seededNow) io.info(`seeded the demo dataset: ${options.records} records`);
    for (const line of describeReleasedLeases(env.releasedLeases)) io.info(line);
    if (env.faultProxy && options.faults) io.info(`injecting faults ${describeFaultSpec(options.faults)} into the handlers' target-table requests, through ${env.faultProxy.endpoint} (the ledger's pass untouched)`);

    // Whether the run exists is for the messages only: StartRun decides (another spec is refused in
    // every status; a finished run with this spec ends the execution at once with its report).
    const existing = await getRun(env.deps, runId);
    const resumes = existing && runStatusesAllowing('RUNNING').includes(existing.status) && existing.specHash === validated.specHash;
    if (resumes) io.info(`resuming run ${runId} (status ${existing.status}, started ${existing.starts} time(s) before)`);

    bar = new ProgressBar(io.progressStream);
    const started = performance.now();
    const execution = await startOrJoinExecution(sfn, { stateMachineArn: cloud.endpoints.resources.backfillStateMachineArn, baseName: runId, input: { startedBy: localIdentity(), ...(input as object), runId } });
    ours = execution.executionArn;
    const interrupted = new Promise<undefined>((resolve) => (stop.signal.aborted ? resolve(undefined) : stop.signal.addEventListener('abort', () => resolve(undefined), { once: true })));
    // A paused run waits for an operator (up to its pauseTimeoutSeconds): npm start ends there and says how to resume.
    const watching = new AbortController();
    const paused = untilPaused(env.deps, runId, { intervalMs: PAUSE_POLL_MS, signal: watching.signal }).then((cause) => ({ paused: cause }));
    const closed = await Promise.race([cloud.stepFunctions.waitForExecution(execution.executionArn), interrupted, paused, ...(approver ? [approver.failed] : [])]).finally(() => watching.abort());
    if (closed && 'paused' in closed) {
      bar.finish();
      if (options.json) io.out(JSON.stringify({ runId, ...closed.paused }));
      throw new RunPausedError(runId, describePausedRun(runId, closed.paused, options.dataDir));
    }
    // Ctrl-C: the execution is abandoned, as `local up` abandons it on SIGTERM; the next start runs it again.
    const outcome = closed ?? { status: 'ABORTED' as const, error: undefined, cause: undefined, output: undefined };
    bar.finish();
    const elapsedMs = performance.now() - started;
    const stoppedBy = stop.stoppedBy();
    if (stoppedBy && outcome.status === 'ABORTED') throw new StoppedByOperatorError(`Run ${runId}`, stoppedBy, options.dataDir);
    if (outcome.status !== 'SUCCEEDED') {
      const error = outcome.error ?? outcome.status;
      const cause = outcome.cause ?? '';
      if (isRefusedAtStart(error)) {
        if (options.json) io.out(JSON.stringify({ runId, status: 'REFUSED', runStatus: existing?.status, error, cause }));
        throw new RunRefusedError(runId, error, cause, existing?.status);
      }
      if (options.json) io.out(JSON.stringify({ runId, status: outcome.status, error, cause }));
      const childFailures = await describeUnrecordedChildFailures(env.clients.s3, { mapRuns: await withResultManifests(sfn, execution.executionArn, mapRuns) }, await listBatches(env.deps, runId));
      throw new RunFailedError(runId, error, cause, childFailures, options.dataDir);
    }
    const finished = JSON.parse(outcome.output ?? 'null') as RunReport | AlreadyFinishedReport;
    if ('alreadyFinished' in finished && finished.alreadyFinished) {
      if (options.json) io.info(alreadyFinishedLine(finished));
      io.out(options.json ? JSON.stringify(finished) : formatReport(finished));
      return 0;
    }
    const report: RunReport = finished;
    const stats = await executionHistoryStats(sfn, execution.executionArn);
    const summary: LocalRunSummary = {
      ...report,
      elapsedMs: Math.round(elapsedMs),
      recordsPerSecond: Math.round((report.records / Math.max(elapsedMs, 1)) * 1000),
      maxStatePayloadBytes: stats.maxPayloadBytes,
      maxStatePayloadAt: stats.maxPayloadAt,
      stateTransitions: stats.stateTransitions,
      childExecutions: mapRuns.reduce((sum, mapRun) => sum + mapRun.started, 0),
      resumedFromEarlierProcess: existing !== undefined,
    };
    io.out(options.json ? JSON.stringify(summary) : formatReport(summary));
    return 0;
  } finally {
    sfn.destroy();
    await approver?.settle();
    await cloud.close({ drainMs: 30_000 });
    await stop.settle();
  }
}
