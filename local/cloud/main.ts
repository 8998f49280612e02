import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataDirLockedError, DataDirUnusableError, PortInUseError } from '../emulators';
import { FaultSpecError, parseFaultSpec, type FaultSpec } from '../faults';
import { DEFAULT_CLOUD_PORT, invalidCloudPort } from './cloudPorts';
import { runLocalUp } from './localUp';

const USAGE = `Usage: local/cloud/main.ts up [--data-dir DIR] [--port N] [--no-demo] [--inject-faults SPEC]

Serves the stack's Step Functions (port N), DynamoDB (N+1) and S3 (N+2) APIs and the approval page
(N+3) on 127.0.0.1 for DIR (default .backfill-local), writes DIR/endpoints.json, and runs until
Ctrl-C or SIGTERM.
  --port N     default ${DEFAULT_CLOUD_PORT}; 0 for four ephemeral ports
  --no-demo    do not seed the demo dataset into a new data dir
  --inject-faults SPEC
               e.g. throttle=0.2,latency=50ms,errors=0.01: faults for the handlers' requests naming a
               target table (never the ledger), through a fault proxy in front of DynamoDB`;

/**
 * `up` until the backfill CLI routes `backfill local up` to runLocalUp. Exit codes: 0 stopped by
 * SIGINT/SIGTERM, 2 bad usage or an unusable data dir, 3 the data dir is in use or a port is taken,
 * 130 a second signal during shutdown.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, 'no-demo': { type: 'boolean', default: false }, 'inject-faults': { type: 'string' } } });
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const port = parsed.values.port === undefined ? DEFAULT_CLOUD_PORT : /^[0-9]+$/.test(parsed.values.port) ? Number(parsed.values.port) : Number.NaN;
  const problem = parsed.positionals.join(' ') !== 'up' ? `give the command "up", got ${JSON.stringify(parsed.positionals.join(' '))}` : invalidCloudPort(port, JSON.stringify(parsed.values.port));
  if (problem) {
    process.stderr.write(`error: ${problem}\n\n${USAGE}\n`);
    return 2;
  }
  let faults: FaultSpec | undefined;
  try {
    faults = parsed.values['inject-faults'] === undefined ? undefined : parseFaultSpec(parsed.values['inject-faults']);
  } catch (error) {
    if (!(error instanceof FaultSpecError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const codeVersion = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  try {
    return await runLocalUp(
      { dataDir: parsed.values['data-dir'] ?? '.backfill-local', port, demo: !parsed.values['no-demo'], ...(faults ? { faults } : {}) },
      { out: (text) => process.stdout.write(`${text}\n`), info: (text) => process.stderr.write(`${text}\n`), codeVersion },
    );
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    if (error instanceof DataDirLockedError || error instanceof PortInUseError) return 3;
    return error instanceof DataDirUnusableError ? 2 : 3;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
