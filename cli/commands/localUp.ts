import type { CommandDefinition } from '../commandTable';
import { CliError, EXIT } from '../errors';

/** `backfill local up [--data-dir DIR] [--port N] [--no-demo]`: the local cloud (local/cloud/localUp.ts). */
export const localUpCommand: CommandDefinition = {
  name: 'local up',
  summary: 'serve Step Functions, DynamoDB and S3 on 127.0.0.1 (ports N, N+1, N+2) and write DIR/endpoints.json',
  options: [
    { flags: '--data-dir <dir>', description: 'where the local cloud keeps its state (default .backfill-local)' },
    { flags: '--port <n>', description: 'Step Functions on N, DynamoDB on N+1, S3 on N+2 (default 4570; 0: ephemeral ports)' },
    { flags: '--no-demo', description: 'do not seed the demo dataset into a new data dir' },
  ],
  target: 'none',
  async run() {
    throw new CliError('`backfill local up` is not built into this branch yet (it runs local/cloud/localUp.ts, added separately)', EXIT.usage);
  },
};
