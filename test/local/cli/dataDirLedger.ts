import { join } from 'node:path';
import { LOCAL_NAMES } from '../../../infra/definitions';
import { localClients } from '../../../local/aws';
import { getRun, listBatches, type BatchRecordKind, type BatchStatus, type RunRecord } from '../../../lambdas/lib/ledger';
import { startDynalite } from '../../../local/emulators';

/** What a data dir's ledger holds for one run: its record and how many of its batch records are in each status. */
export interface LedgerState {
  readonly run: RunRecord | undefined;
  readonly batches: number;
  readonly byStatus: Partial<Record<BatchStatus, number>>;
}

/**
 * Reads the ledger a (killed, so no longer running) CLI left in `dataDir`, with dynalite on its
 * store: where a kill landed is read from the ledger itself, not inferred from timing.
 * @example
 *   expect(await readLedger(dir, runId)).toMatchObject({ run: { status: 'RUNNING' }, batches: 0 });
 */
export async function readLedger(dataDir: string, runId: string, kind: BatchRecordKind = 'batch'): Promise<LedgerState> {
  const dynamo = await startDynalite({ path: join(dataDir, 'dynamodb') });
  // Only the ledger table is read; the S3 endpoint is never called.
  const clients = localClients({ dynamodbEndpoint: dynamo.endpoint, s3Endpoint: 'http://127.0.0.1:1' });
  const deps = { clients, ledgerTable: LOCAL_NAMES.ledgerTable };
  try {
    const run = await getRun(deps, runId);
    const records = run ? await listBatches(deps, runId, kind) : [];
    const byStatus: Partial<Record<BatchStatus, number>> = {};
    for (const record of records) byStatus[record.status] = (byStatus[record.status] ?? 0) + 1;
    return { run, batches: records.length, byStatus };
  } finally {
    clients.ddb.destroy();
    clients.s3.destroy();
    await dynamo.close();
  }
}
