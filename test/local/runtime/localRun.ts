import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_NAMES } from '../../../infra/definitions';
import type { RunReport } from '../../../lambdas/lib/run';
import { startLocalEnvironment, type LocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { ensureDemoSeeded } from '../../../local/runtime/ensureDemoSeeded';
import { runBackfillLocally } from '../../../local/runtime/runBackfillLocally';
import { dumpTable } from '../../../local/runtime/dumpTable';
import type { ExecutionOutcome } from '../../../local/engine';

export const EXAMPLE_SPEC = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'examples', 'orders-spec.json'), 'utf8')) as Record<string, unknown>;

/** The example spec with overrides (leases short, so a resumed test run need not wait long). */
export function exampleSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...EXAMPLE_SPEC, leaseSeconds: 5, ...overrides };
}

/** A fresh in-memory environment seeded with the demo dataset. */
export async function seededEnvironment(records: number): Promise<{ env: LocalEnvironment; expected: Record<string, number> }> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const env = await startLocalEnvironment({ codeVersion: 'test' });
  const { marker } = await ensureDemoSeeded(env.clients, records);
  return { env, expected: { ...marker.stats.expected } };
}

/**
 * `seeded(records)` for the tests of the enclosing `describe`: a seeded environment each call, all
 * closed after the describe.
 */
export function useSeededEnvironments(): (records: number) => ReturnType<typeof seededEnvironment> {
  const envs: LocalEnvironment[] = [];
  afterAll(async () => {
    await Promise.all(envs.splice(0).map((env) => env.close()));
  });
  return async (records) => {
    const result = await seededEnvironment(records);
    envs.push(result.env);
    return result;
  };
}

export async function run(env: LocalEnvironment, input: unknown, runId: string, signal?: AbortSignal, onChildDone?: () => void): Promise<ExecutionOutcome> {
  return runBackfillLocally({
    env,
    input,
    runId,
    signal,
    onEvent: (event) => {
      if (event.kind === 'child-succeeded') onChildDone?.();
    },
  });
}

export const targetDump = (env: LocalEnvironment): Promise<string> => dumpTable(env.clients.ddb, LOCAL_NAMES.demoTargetTable);
export const reportOf = (outcome: ExecutionOutcome): RunReport => outcome.output as RunReport;
