import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CLOUD_PORT, invalidCloudPort } from '../../local/cloud/cloudPorts';
import type * as LocalUp from '../../local/cloud/localUp';
import { FaultSpecError, parseFaultSpec, type FaultSpec } from '../../local/faults';
import type { CommandDefinition } from '../commandTable';
import { UsageError } from '../errors';
import { DEFAULT_LOCAL_DATA_DIR } from '../target';

const LocalUpOptions = z.object({ dataDir: z.string().optional(), port: z.string().optional(), demo: z.boolean(), injectFaults: z.string().optional() });

/** `--inject-faults TEXT` as a FaultSpec; bad text is a usage error naming every problem. */
function faultsOf(text: string | undefined): FaultSpec | undefined {
  if (text === undefined) return undefined;
  try {
    return parseFaultSpec(text);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

const codeVersion = (): string => (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

/** `backfill local up [--data-dir DIR] [--port N] [--no-demo] [--inject-faults SPEC]`: the local cloud (local/cloud/localUp.ts) until Ctrl-C. */
export const localUpCommand: CommandDefinition = {
  name: 'local up',
  summary: 'serve Step Functions, DynamoDB, S3 and the approval page on 127.0.0.1 (ports N, N+1, N+2, N+3) for DIR and write DIR/endpoints.json, until Ctrl-C',
  options: [
    { flags: '--data-dir <dir>', description: `where the local cloud keeps its state (default ${DEFAULT_LOCAL_DATA_DIR})` },
    { flags: '--port <n>', description: `Step Functions on N, DynamoDB on N+1, S3 on N+2, the approval page on N+3 (default ${DEFAULT_CLOUD_PORT}; 0: four ephemeral ports)` },
    { flags: '--no-demo', description: 'do not seed the demo dataset into a new data dir' },
    {
      flags: '--inject-faults <spec>',
      description: "send the handlers' DynamoDB requests through a fault proxy: of the requests naming a target table (never the ledger), throttle=SHARE get DynamoDB's throttling error, errors=SHARE a 500, latency=50ms is added; e.g. throttle=0.2,latency=50ms,errors=0.01 (seed=N picks the draws)",
    },
  ],
  target: 'none',
  async run({ options, io }) {
    const o = LocalUpOptions.parse(options);
    const port = o.port === undefined ? DEFAULT_CLOUD_PORT : /^[0-9]+$/.test(o.port) ? Number(o.port) : Number.NaN;
    const problem = invalidCloudPort(port);
    if (problem) throw new UsageError(problem.replace(/got NaN$/, `got ${JSON.stringify(o.port)}`));
    const faults = faultsOf(o.injectFaults);
    const dataDir = o.dataDir ?? DEFAULT_LOCAL_DATA_DIR;
    // Loaded only here: the emulators and the engine are most of the CLI's start-up time otherwise.
    const { runLocalUp } = require('../../local/cloud/localUp') as typeof LocalUp;
    return runLocalUp({ dataDir: resolve(io.cwd, dataDir), port, demo: o.demo, ...(faults ? { faults } : {}) }, { out: io.out, info: io.err, codeVersion: codeVersion() });
  },
};
