import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { startStepFunctionsServer, type ExecutionStatusChangeEvent, type StepFunctionsServer, type StepFunctionsServerOptions } from '../../../../local/cloud/stepfunctions';
import { waitFor } from '../../../support';
import { arnOf, describeWhenClosed, flowMachine, gateMachine, sfnClient, unusedS3 } from './fixtures';

const GATE = arnOf('Gate');
const FLOW = arnOf('Flow');

describe('the local Step Functions API keeps executions in its state dir', () => {
  let stateDir: string;
  const open: Array<{ server: StepFunctionsServer; sfn: SFNClient }> = [];
  const gates: Array<ReturnType<typeof gateMachine>> = [];
  const events: ExecutionStatusChangeEvent[] = [];

  async function serve(options: Pick<StepFunctionsServerOptions, 'restartRunningExecutions'> = {}): Promise<{ server: StepFunctionsServer; sfn: SFNClient; gate: ReturnType<typeof gateMachine> }> {
    const gate = gateMachine();
    gates.push(gate);
    const server = await startStepFunctionsServer({
      stateMachines: [flowMachine(), gate.machine],
      s3: unusedS3(),
      stateDir,
      onExecutionStatusChange: async (event) => void events.push(event),
      ...options,
    });
    const sfn = sfnClient(server);
    open.push({ server, sfn });
    return { server, sfn, gate };
  }

  async function closeAll(): Promise<void> {
    for (const { server, sfn } of open.splice(0)) {
      sfn.destroy();
      await server.close({ drainMs: 100 });
    }
  }

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'sfn-state-'));
    events.length = 0;
  });
  afterEach(async () => {
    for (const { gate } of gates.splice(0)) gate.resolve();
    await closeAll();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('describes closed executions after a restart, and starts a RUNNING one again from its first state, recorded as ExecutionRedriven', async () => {
    // GIVEN a finished execution and one waiting in its Task when the server closes
    const first = await serve();
    const done = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: 'done', input: '{"value":2}' }));
    await describeWhenClosed(first.sfn, done.executionArn!);
    const held = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'held', input: '{"runId":"r1"}' }));
    await waitFor(() => first.gate.entered() === 1, { describe: 'the Gate Task to start' });
    await closeAll();
    // THEN closing sent no status change for the abandoned execution
    expect(events.map((e) => `${e.detail.name} ${e.detail.status}`)).toEqual(['done RUNNING', 'done SUCCEEDED', 'held RUNNING']);
    events.length = 0;
    // WHEN a new server starts on the same state dir
    const second = await serve();
    // THEN the finished one is as it was
    expect(await second.sfn.send(new DescribeExecutionCommand({ executionArn: done.executionArn }))).toMatchObject({ status: 'SUCCEEDED', output: '{"value":4}', redriveCount: 0 });
    // AND the held one runs again from its first state with the same input, as a redrive
    await waitFor(() => second.gate.entered() === 1, { describe: 'the Gate Task to start again' });
    const described = await second.sfn.send(new DescribeExecutionCommand({ executionArn: held.executionArn }));
    expect(described).toMatchObject({ status: 'RUNNING', input: '{"runId":"r1"}', redriveCount: 1, startDate: held.startDate });
    expect(described.redriveDate).toBeInstanceOf(Date);
    const history = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: held.executionArn }))).events!;
    const attempt = ['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted'];
    expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', ...attempt, 'ExecutionRedriven', ...attempt]);
    expect(history[4]).toMatchObject({ id: 5, previousEventId: 4, executionRedrivenEventDetails: { redriveCount: 1 } });
    expect(history[5]).toMatchObject({ id: 6, stateEnteredEventDetails: { name: 'Hold', input: '{"runId":"r1"}' } });
    expect(events.map((e) => `${e.detail.name} ${e.detail.status}`)).toEqual(['held RUNNING']);
    // AND it ends as any execution does
    second.gate.gate.resolve();
    expect(await second.server.waitForExecution(held.executionArn!)).toEqual({ status: 'SUCCEEDED', output: '{"runId":"r1"}' });
    const closedHistory = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: held.executionArn }))).events!;
    expect(closedHistory.slice(-3).map((e) => e.type)).toEqual(['LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(closedHistory.map((e) => e.id)).toEqual(closedHistory.map((_, index) => index + 1));
  });

  it('with restartRunningExecutions false, leaves a kept RUNNING execution as it is (not run, not written); StopExecution still ends it', async () => {
    // GIVEN an execution waiting in its Task when the server closes
    const first = await serve();
    const held = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'held', input: '{"runId":"r1"}' }));
    await waitFor(() => first.gate.entered() === 1, { describe: 'the Gate Task to start' });
    await closeAll();
    const [folder] = readdirSync(join(stateDir, 'executions')).map((entry) => join(stateDir, 'executions', entry));
    const onDisk = () => ['record.json', 'history.jsonl'].map((file) => readFileSync(join(folder!, file), 'utf8'));
    const left = onDisk();
    events.length = 0;
    // WHEN a server starts on the state dir with restartRunningExecutions false
    const second = await serve({ restartRunningExecutions: false });
    // THEN the execution is described RUNNING as the first server left it: not started again, nothing written, no event sent
    expect(await second.sfn.send(new DescribeExecutionCommand({ executionArn: held.executionArn }))).toMatchObject({ status: 'RUNNING', redriveCount: 0 });
    const history = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: held.executionArn }))).events!.map((e) => e.type);
    expect(history).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted']);
    expect({ entered: second.gate.entered(), onDisk: onDisk(), events }).toEqual({ entered: 0, onDisk: left, events: [] });
    // AND StopExecution ends it at once, ABORTED with its error and cause
    await second.sfn.send(new StopExecutionCommand({ executionArn: held.executionArn, error: 'StoppedByOperator', cause: 'left over' }));
    expect(await second.server.waitForExecution(held.executionArn!)).toEqual({ status: 'ABORTED', error: 'StoppedByOperator', cause: 'left over' });
    const stopped = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: held.executionArn }))).events!;
    expect(stopped.at(-1)).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'StoppedByOperator', cause: 'left over' } });
    expect(events.map((e) => `${e.detail.name} ${e.detail.status}`)).toEqual(['held ABORTED']);
  });

  it('keeps StartExecution idempotent across a restart, and numbers new executions after the kept ones', async () => {
    const first = await serve();
    const held = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'held', input: '{}' }));
    await closeAll();
    const second = await serve();
    const again = await second.sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'held', input: '{}' }));
    expect([again.executionArn, again.startDate]).toEqual([held.executionArn, held.startDate]);
    await second.sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'later', input: '{}' }));
    expect((await second.sfn.send(new ListExecutionsCommand({ stateMachineArn: GATE }))).executions!.map((e) => e.name)).toEqual(['later', 'held']);
  });

  it('drops a history line torn by a crash, and closes a RUNNING record whose history has its closing event', async () => {
    // GIVEN one execution that finished and one that waits, kept on disk
    const first = await serve();
    const done = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: 'done', input: '{"value":1}' }));
    await describeWhenClosed(first.sfn, done.executionArn!);
    const held = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'held', input: '{}' }));
    await closeAll();
    const [doneDir, heldDir] = readdirSync(join(stateDir, 'executions')).sort().map((entry) => join(stateDir, 'executions', entry));
    // AND a crash after the closing event of 'done' was written but before its record was
    const record = JSON.parse(readFileSync(join(doneDir, 'record.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(doneDir, 'record.json'), JSON.stringify({ ...record, status: 'RUNNING', stopDateMs: undefined, output: undefined }));
    // AND a crash in the middle of appending an event of 'held'
    appendFileSync(join(heldDir, 'history.jsonl'), '{"id":2,"previousEv');
    // WHEN the server starts again
    const second = await serve();
    // THEN 'done' is SUCCEEDED from its history and not run again, and 'held' restarted after a clean history
    expect(await second.sfn.send(new DescribeExecutionCommand({ executionArn: done.executionArn }))).toMatchObject({ status: 'SUCCEEDED', output: '{"value":2}', redriveCount: 0 });
    const doneHistory = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: done.executionArn }))).events!.map((e) => e.type);
    expect([doneHistory.includes('ExecutionRedriven'), doneHistory.at(-1)]).toEqual([false, 'ExecutionSucceeded']);
    await waitFor(() => second.gate.entered() === 1, { describe: 'held to start again' });
    const history = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: held.executionArn }))).events!;
    const attempt = ['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted'];
    const kept = history.map((e) => e.type);
    expect(kept.slice(kept.indexOf('ExecutionRedriven'))).toEqual(['ExecutionRedriven', ...attempt]);
    expect(history.map((e) => e.id)).toEqual(history.map((_, index) => index + 1));
    // AND the history file was left whole: a third start reads it back and appends after it
    await closeAll();
    const third = await serve();
    const reread = (await third.sfn.send(new GetExecutionHistoryCommand({ executionArn: held.executionArn }))).events!;
    expect(reread.slice(0, history.length)).toEqual(history);
    expect(reread.slice(history.length).map((e) => e.type)).toEqual(['ExecutionRedriven', ...attempt]);
    expect(reread.at(history.length)).toMatchObject({ id: history.length + 1, executionRedrivenEventDetails: { redriveCount: 2 } });
  });

  it('refuses a state dir with a record it cannot read, naming the file and what to do', async () => {
    const first = await serve();
    await first.sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: 'x', input: '{"value":1}' }));
    await closeAll();
    const [folder] = readdirSync(join(stateDir, 'executions'));
    writeFileSync(join(stateDir, 'executions', folder, 'record.json'), '{"name": 3}');
    const refused = startStepFunctionsServer({ stateMachines: [flowMachine()], s3: unusedS3(), stateDir });
    await expect(refused).rejects.toMatchObject({ name: 'StateDirUnreadableError', message: expect.stringContaining(join(folder, 'record.json')) });
    await expect(refused).rejects.toThrow(/move that execution's folder away/);
  });

  it('delivers at the next start, once and with the same id and time, the closing event a killed process owed, and closes the history it left open', async () => {
    // GIVEN an execution stopped while its Task ran, its ABORTED event delivered
    const first = await serve();
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'owed', input: '{"runId":"o"}' }));
    await waitFor(() => first.gate.entered() === 1, { describe: 'the Gate Task to start' });
    await first.sfn.send(new StopExecutionCommand({ executionArn, error: 'StoppedByOperator', cause: 'wrong spec' }));
    await waitFor(() => events.some((e) => e.detail.status === 'ABORTED'), { describe: 'the ABORTED event' });
    await closeAll();
    const [folder] = readdirSync(join(stateDir, 'executions'));
    const recordPath = join(stateDir, 'executions', folder, 'record.json');
    const historyPath = join(stateDir, 'executions', folder, 'history.jsonl');
    const delivered = JSON.parse(readFileSync(recordPath, 'utf8')) as Record<string, unknown>;
    expect(delivered).toMatchObject({ status: 'ABORTED' });
    expect(delivered).not.toHaveProperty('owedStatusChange');
    // AND the state dir as a process leaves it when killed right after StopExecution answered:
    // the record ABORTED with its event owed, the history not closed yet
    const owedAtMs = Date.UTC(2026, 11, 1, 6, 0, 0);
    writeFileSync(recordPath, JSON.stringify({ ...delivered, owedStatusChange: { id: 'owed-1', timeMs: owedAtMs } }));
    const lines = readFileSync(historyPath, 'utf8').split('\n').filter((line) => line !== '' && !line.includes('"ExecutionAborted"'));
    writeFileSync(historyPath, lines.map((line) => `${line}\n`).join(''));
    events.length = 0;
    // WHEN a server starts on the state dir
    const second = await serve();
    // THEN the owed event was delivered before it served, as it would have been sent
    expect(events.map((e) => ({ id: e.id, time: e.time, status: e.detail.status, error: e.detail.error, cause: e.detail.cause }))).toEqual([
      { id: 'owed-1', time: '2026-12-01T06:00:00Z', status: 'ABORTED', error: 'StoppedByOperator', cause: 'wrong spec' },
    ]);
    expect(JSON.parse(readFileSync(recordPath, 'utf8'))).not.toHaveProperty('owedStatusChange');
    // AND the history ends with ExecutionAborted, stamped with the stop date
    const described = await second.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const history = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect(history.at(-1)).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'StoppedByOperator', cause: 'wrong spec' }, timestamp: described.stopDate });
    // AND a third start delivers nothing again
    await closeAll();
    events.length = 0;
    await serve();
    expect(events).toEqual([]);
  });

  it('starts an execution again after its server process was killed with SIGKILL', async () => {
    // GIVEN a server in another process with an execution waiting in its Task
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'gateServerProcess.ts'), stateDir], {
      env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    try {
      const endpoint = await waitFor(() => /endpoint (\S+)/.exec(stdout)?.[1], { describe: 'the child server to listen', timeoutMs: 30_000 });
      const remote = sfnClient({ endpoint } as StepFunctionsServer);
      const { executionArn } = await remote.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'killed', input: '{"runId":"k"}' }));
      await waitFor(() => stdout.includes('entered'), { describe: 'the Gate Task to start in the child' });
      remote.destroy();
      // WHEN the process is killed without warning
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // THEN a new server on the state dir starts the execution again
      const { sfn, gate } = await serve();
      await waitFor(() => gate.entered() === 1, { describe: 'the Gate Task to start again' });
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'RUNNING', redriveCount: 1, input: '{"runId":"k"}' });
      const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
      const attempt = ['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted'];
      expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', ...attempt, 'ExecutionRedriven', ...attempt]);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
