import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startLocalEnvironment } from '../../runtime/LocalEnvironment';
import { dumpTable } from '../../runtime/dumpTable';
import { UsageError } from '../errors';
import { keptExecutionNotices } from '../keptExecutionNotices';
import type { CliOptions } from '../options';
import type { CommandIo } from './CommandIo';

/** Prints a local table's items as sorted canonical JSONL. */
export async function dumpCommand(options: CliOptions, io: CommandIo): Promise<number> {
  const env = await startLocalEnvironment({ dataDir: options.dataDir, codeVersion: io.codeVersion, takeOverLeases: false });
  try {
    const table = options.dump!;
    for (const line of keptExecutionNotices(options.dataDir)) io.info(line);
    let text: string;
    try {
      text = await dumpTable(env.clients.ddb, table);
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') {
        const { TableNames } = await env.clients.ddb.send(new ListTablesCommand({}));
        throw new UsageError(`no table ${table} in ${options.dataDir} (it has: ${(TableNames ?? []).join(', ') || 'none'}); give one of those`);
      }
      throw error;
    }
    process.stdout.write(text);
    return 0;
  } finally {
    await env.close();
  }
}
