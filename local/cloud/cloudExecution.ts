import { DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { LocalCloud } from './startLocalCloud';

/** The Step Functions SDK client for a local cloud: dummy credentials, no retries (loopback). */
export function localSfnClient(cloud: LocalCloud): SFNClient {
  return new SFNClient({ endpoint: cloud.endpoints.stepfunctions, region: cloud.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
}

/**
 * The execution of `input` on `stateMachineArn`: an open one with exactly this input (one a killed
 * earlier process left, which the local cloud started again) is joined; otherwise a new one starts,
 * named `baseName`, or `baseName-2`, `-3`... when that name was used (Step Functions never reuses a name).
 * @example
 *   const { executionArn, joined } = await startOrJoinExecution(sfn, { stateMachineArn, baseName: runId, input: { ...spec, runId } });
 */
export async function startOrJoinExecution(sfn: SFNClient, request: { stateMachineArn: string; baseName: string; input: unknown }): Promise<{ executionArn: string; joined: boolean }> {
  const input = JSON.stringify(request.input);
  const names = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: request.stateMachineArn, nextToken }));
    for (const execution of page.executions ?? []) {
      names.add(execution.name!);
      if (execution.status !== 'RUNNING') continue;
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
      if (described.input === input) return { executionArn: execution.executionArn!, joined: true };
    }
    nextToken = page.nextToken;
  } while (nextToken);
  let name = request.baseName.slice(0, 80);
  for (let attempt = 2; names.has(name); attempt++) name = `${request.baseName.slice(0, 80 - `-${attempt}`.length)}-${attempt}`;
  const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: request.stateMachineArn, name, input }));
  return { executionArn: started.executionArn!, joined: false };
}

/** What the run report says about the engine, read from the execution's history as on AWS. */
export interface ExecutionHistoryStats {
  /** `...StateEntered` events: the state transitions AWS bills (the parent's; Map Run children are counted apart). */
  readonly stateTransitions: number;
  /** Largest UTF-8 size of a state's input or output in the history. */
  readonly maxPayloadBytes: number;
  /** `<state> input|output` of that payload. */
  readonly maxPayloadAt?: string;
}

/** Where a Map state's ResultWriter puts a Map Run's manifest: `<Prefix>/<mapRunId>/manifest.json` (local/engine/distributed/writeResults.ts). */
function resultManifestOf(definitionText: string, mapRunArn: string): string | undefined {
  const [, label, mapRunId] = /\/([^/:]+):([^:]+)$/.exec(mapRunArn) ?? [];
  const states = (JSON.parse(definitionText) as { States?: Record<string, { Label?: string; ResultWriter?: { Parameters?: { Bucket?: unknown; Prefix?: unknown } } }> }).States ?? {};
  const map = Object.entries(states).find(([name, state]) => (state.Label ?? name) === label)?.[1];
  const { Bucket, Prefix = '' } = map?.ResultWriter?.Parameters ?? {};
  if (typeof Bucket !== 'string' || typeof Prefix !== 'string' || !mapRunId) return undefined;
  const prefix = Prefix.replace(/\/+$/, '');
  return `s3://${Bucket}/${prefix === '' ? '' : `${prefix}/`}${mapRunId}/manifest.json`;
}

/**
 * Counts the state transitions and finds the largest state payload of an execution, from its
 * GetExecutionHistory.
 * @example
 *   const stats = await executionHistoryStats(sfn, executionArn); // { stateTransitions: 7, maxPayloadBytes: 2176, ... }
 */
export async function executionHistoryStats(sfn: SFNClient, executionArn: string): Promise<ExecutionHistoryStats> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  let maxPayloadBytes = 0;
  let maxPayloadAt: string | undefined;
  const measure = (text: string | undefined, at: string) => {
    const bytes = text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
    if (bytes > maxPayloadBytes) [maxPayloadBytes, maxPayloadAt] = [bytes, at];
  };
  for (const event of events) {
    if (event.stateEnteredEventDetails) measure(event.stateEnteredEventDetails.input, `${event.stateEnteredEventDetails.name} input`);
    if (event.stateExitedEventDetails) measure(event.stateExitedEventDetails.output, `${event.stateExitedEventDetails.name} output`);
  }
  const stateTransitions = events.filter((e) => e.type?.endsWith('StateEntered')).length;
  return { stateTransitions, maxPayloadBytes, ...(maxPayloadAt ? { maxPayloadAt } : {}) };
}

/**
 * The Map Runs of an execution with, where the Map state has a ResultWriter, `s3://bucket/key` of
 * each one's manifest.json (read from its state machine's definition, DescribeStateMachine).
 * @example
 *   const mapRuns = await withResultManifests(sfn, executionArn, [{ mapRunArn, status: 'FAILED' }]);
 */
export async function withResultManifests(
  sfn: SFNClient,
  executionArn: string,
  mapRuns: ReadonlyArray<{ readonly mapRunArn: string; readonly status: string }>,
): Promise<Array<{ status: string; resultManifest?: string }>> {
  if (mapRuns.length === 0) return [];
  const { stateMachineArn } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const definition = (await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).definition ?? '{}';
  return mapRuns.map(({ mapRunArn, status }) => {
    const resultManifest = resultManifestOf(definition, mapRunArn);
    return { status, ...(resultManifest ? { resultManifest } : {}) };
  });
}
