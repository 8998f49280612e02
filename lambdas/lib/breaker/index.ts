// STAND-IN written by helper E against i12-contracts.md ("C — ... the breaker"), the thinnest version
// E's operator controls need; helper C owns this module: at merge, C's version replaces this file.
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** The breaker of the stack (one per ledger); absent means CLOSED. */
export interface BreakerRecord {
  readonly state: 'OPEN' | 'CLOSED';
  readonly openedAt?: string;
  readonly openedBy?: string;
  readonly reason?: string;
  readonly alarm?: { readonly name: string; readonly arn?: string };
  readonly triggeringAlarms?: ReadonlyArray<{ readonly name: string; readonly arn?: string; readonly state: string; readonly reason?: string }>;
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly closeReason?: string;
  readonly okSince?: string;
  readonly version: number;
}

const KEY = { pk: 'BREAKER', sk: 'BREAKER' };

/** The breaker nobody has opened yet. */
export const CLOSED_BREAKER: BreakerRecord = { state: 'CLOSED', version: 0 };

/** What a breaker write did: `changed` false when the breaker already was in the state asked for. */
export interface BreakerChange {
  readonly changed: boolean;
  readonly breaker: BreakerRecord;
}

/** A paused run cannot resume while the breaker is open. */
export class BreakerOpenError extends Error {
  constructor(readonly runId: string, readonly openedBy: string | undefined, readonly reason: string | undefined, readonly openedAt: string | undefined) {
    super(`Run ${runId} cannot resume: the breaker is OPEN (opened by ${openedBy ?? 'unknown'}: ${reason ?? 'no reason recorded'}); close it first: backfill breaker close --reason '...', then resume the run`);
    this.name = 'BreakerOpenError';
  }
}

/** The breaker record, read strongly consistent; CLOSED (version 0) when it was never opened. */
export async function readBreaker(deps: Pick<Deps, 'clients' | 'ledgerTable'>): Promise<BreakerRecord> {
  const { Item } = await deps.clients.ddb.send(new GetCommand({ TableName: deps.ledgerTable, Key: KEY, ConsistentRead: true }));
  if (!Item) return CLOSED_BREAKER;
  const { pk: _pk, sk: _sk, ...record } = Item;
  return record as BreakerRecord;
}

async function audit(deps: LedgerDeps, type: string, actor: string, detail: Record<string, unknown>): Promise<void> {
  const at = new Date(deps.clock.nowMs()).toISOString();
  await deps.clients.ddb.send(new PutCommand({ TableName: deps.ledgerTable, Item: { pk: 'BREAKER', sk: `AUDIT#${at}#${randomUUID()}`, type, at, actor, detail } }));
}

async function write(deps: LedgerDeps, previous: BreakerRecord, next: BreakerRecord): Promise<BreakerChange> {
  await deps.clients.ddb.send(
    new PutCommand({
      TableName: deps.ledgerTable,
      Item: { ...KEY, ...next },
      ConditionExpression: previous.version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(previous.version === 0 ? {} : { ExpressionAttributeValues: { ':v': previous.version } }),
    }),
  );
  return { changed: true, breaker: next };
}

/** Opens the breaker (already OPEN: `{ changed: false }`). */
export async function openBreaker(deps: LedgerDeps, request: { by: string; reason: string; alarm?: BreakerRecord['alarm']; triggeringAlarms?: BreakerRecord['triggeringAlarms'] }): Promise<BreakerChange> {
  const previous = await readBreaker(deps);
  if (previous.state === 'OPEN') return { changed: false, breaker: previous };
  const at = new Date(deps.clock.nowMs()).toISOString();
  await write(deps, previous, { state: 'OPEN', openedAt: at, openedBy: request.by, reason: request.reason, ...(request.alarm ? { alarm: request.alarm } : {}), ...(request.triggeringAlarms ? { triggeringAlarms: request.triggeringAlarms } : {}), version: previous.version + 1 });
  await audit(deps, 'BreakerOpened', request.by, { reason: request.reason });
  return { changed: true, breaker: await readBreaker(deps) };
}

/** Closes the breaker (already CLOSED: `{ changed: false }`). */
export async function closeBreaker(deps: LedgerDeps, request: { by: string; reason: string }): Promise<BreakerChange> {
  const previous = await readBreaker(deps);
  if (previous.state === 'CLOSED') return { changed: false, breaker: previous };
  const at = new Date(deps.clock.nowMs()).toISOString();
  await write(deps, previous, { ...previous, state: 'CLOSED', closedAt: at, closedBy: request.by, closeReason: request.reason, version: previous.version + 1 });
  await audit(deps, 'BreakerClosed', request.by, { reason: request.reason });
  return { changed: true, breaker: await readBreaker(deps) };
}
