import type { SFNClient } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../ledger/isConditionalCheckFailed';
import type { Deps } from '../runtime/Deps';
import { asControllerRecord, controllerKey, KEPT_CHANGES, type ConcurrencyChange, type ControllerRecord } from './controllerRecord';

export type ControllerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'> & { readonly clients: { readonly sfn: Pick<SFNClient, 'send'> } };

export interface RecordChangeOptions {
  /** The batch saw throttles: its time starts the healthy spell again. */
  readonly throttled: boolean;
  /** Store `change.mapRunArn` as the Map Run the controller steers (false: as `pendingMapRunArn`, its UpdateMapRun still to come). */
  readonly steersMapRun: boolean;
}

/**
 * The change, conditional on the version read: of workers changing the record at once, one wins.
 * Undefined when another worker changed it first.
 *
 * @example
 *   const changed = await recordChange(deps, controller, change, { throttled: true, steersMapRun: true });
 */
export async function recordChange(deps: ControllerDeps, controller: ControllerRecord, change: ConcurrencyChange, options: RecordChangeOptions): Promise<ControllerRecord | undefined> {
  const decrease = change.to < change.from;
  const mapRun = change.mapRunArn === undefined ? undefined : options.steersMapRun ? 'mapRunArn' : 'pendingMapRunArn';
  try {
    const { Attributes } = await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: controllerKey(controller.runId),
        UpdateExpression:
          'SET #concurrency = :to, lastChangeAt = :at, #changes = :changes, #version = :next' +
          (decrease ? ', lastDecreaseAt = :at' : '') +
          (options.throttled ? ', lastThrottleAt = :at' : '') +
          (mapRun ? `, ${mapRun} = :mapRunArn` : ''),
        ConditionExpression: '#version = :version',
        // Names, not words: DynamoDB reserves many plain words in expressions.
        ExpressionAttributeNames: { '#concurrency': 'concurrency', '#changes': 'changes', '#version': 'version' },
        ExpressionAttributeValues: {
          ':to': change.to,
          ':at': change.at,
          ':changes': [...controller.changes, change].slice(-KEPT_CHANGES),
          ':version': controller.version,
          ':next': controller.version + 1,
          ...(mapRun ? { ':mapRunArn': change.mapRunArn } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return asControllerRecord(Attributes!);
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}
