import { z } from 'zod';
import { canonicalJson } from '../../lambdas/lib/canonicalJson';
import { JSON_OPTION, type CommandDefinition } from '../commandTable';
import { itemLineage, type ItemLineage } from '../runs/itemLineage';

const LineageOptions = z.object({ table: z.string(), key: z.array(z.string()).min(1), json: z.boolean().optional() });

function formatLineage(l: ItemLineage): string {
  const head = `${l.table} ${canonicalJson(l.key)}`;
  // A rollback puts back the pre-image, stamp and all: a stamp-less item may be one a rolled-back run had written.
  if (!l.writtenBy) return `${head}: not written by a backfill run, or restored by a rollback (it carries no backfillRunId stamp)\n  now       ${canonicalJson(l.item)}`;
  const w = l.writtenBy;
  const rolledBack = w.runStatus?.includes('ROLLED_BACK') || w.runStatus === 'ROLLING_BACK' ? ` (that run is ${w.runStatus} since)` : '';
  return [
    `${head}: written by run ${w.runId}${rolledBack}`,
    `  batch         ${w.batchId}${w.at ? ` (completed ${w.at})` : ''}`,
    `  transform     ${w.transform}   code ${w.codeVersion ?? 'unknown (the run is not in the ledger)'}`,
    `  now           ${canonicalJson(l.item)}`,
    `  before        ${w.preImage === undefined ? 'unknown (no snapshot entry for this key)' : w.preImage === null ? 'did not exist (the run created it)' : canonicalJson(w.preImage)}`,
    ...(w.snapshotKey ? [`  snapshot      ${w.snapshotKey}`] : []),
  ].join('\n');
}

/** `backfill lineage --table T --key k=v [--key k2=v2] [--json]`: who wrote an item, and what it was before. */
export const lineageCommand: CommandDefinition = {
  name: 'lineage',
  summary: 'which run, batch, transform@version and code version wrote an item, when, and its pre-image from that batch\'s snapshot',
  options: [
    { flags: '--table <table>', description: 'the target table', required: true },
    { flags: '--key <name=value>', description: 'a key attribute of the item (give each: partition and sort key)', required: true, repeatable: true },
    JSON_OPTION,
  ],
  target: 'any',
  async run({ options, io, target }) {
    const o = LineageOptions.parse(options);
    const lineage = await itemLineage(await target(), o.table, o.key);
    io.out(o.json ? JSON.stringify(lineage) : formatLineage(lineage));
    return 0;
  },
};
