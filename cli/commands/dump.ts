import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dumpTable } from '../../local/runtime/dumpTable';
import type { CommandDefinition } from '../commandTable';
import { UsageError } from '../errors';

/** `backfill dump TABLE --local [DIR]`: a local table's items as sorted canonical JSONL (as `npm start -- --dump`). */
export const dumpCommand: CommandDefinition = {
  name: 'dump',
  summary: 'print a table of the local cloud as sorted canonical JSONL, for audits and before/after diffs',
  arguments: ['<table>'],
  target: 'local',
  async run({ args, io, target }) {
    const t = await target();
    const table = args[0]!;
    try {
      const text = await dumpTable(t.deps.clients.ddb, table);
      if (text) io.out(text.replace(/\n$/, ''));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      const { TableNames } = await t.dynamodb.send(new ListTablesCommand({}));
      throw new UsageError(`no table ${table} in ${t.label} (it has: ${(TableNames ?? []).join(', ') || 'none'}); give one of those`, { cause: error });
    }
    return 0;
  },
};
