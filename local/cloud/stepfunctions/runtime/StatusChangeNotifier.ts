import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../../engine';
import { stateMachineArn } from '../../../engine/arns';
import type { ExecutionRecord, OwedStatusChange } from '../model/ExecutionRecord';
import type { ExecutionStatusChangeEvent } from '../types';
import type { InFlight } from './InFlight';

/**
 * The EventBridge event AWS sends for an execution's status change, built from its record.
 * @example
 *   statusChangeEvent(record, 'f3c1...', Date.UTC(2026, 11, 1)).detail.status // 'RUNNING'
 */
export function statusChangeEvent(record: ExecutionRecord, id: string, nowMs: number): ExecutionStatusChangeEvent {
  return {
    version: '0',
    id,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: LOCAL_ACCOUNT,
    // EventBridge stamps whole seconds: 2026-12-01T06:00:00Z.
    time: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [record.executionArn],
    detail: {
      executionArn: record.executionArn,
      stateMachineArn: stateMachineArn(record.stateMachineName),
      name: record.name,
      status: record.status,
      startDate: record.startDateMs,
      stopDate: record.stopDateMs ?? null,
      input: record.input,
      output: record.output ?? null,
      error: record.error ?? null,
      cause: record.cause ?? null,
    },
  };
}

/**
 * Delivers status-change events to the `onExecutionStatusChange` option, one at a time per
 * execution (RUNNING before its closing status). A delivery that throws is logged and changes
 * nothing: on AWS a failed rule target does not fail the execution either (a closing event stays
 * owed in its record, see LocalExecution).
 */
export class StatusChangeNotifier {
  private readonly queues = new Map<string, Promise<boolean>>();

  constructor(
    private readonly deliver: ((event: ExecutionStatusChangeEvent) => Promise<void>) | undefined,
    private readonly inFlight: InFlight,
    private readonly nowMs: () => number,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Queues the event of the record's current status (with the id and time of `owed`, when it is
   * an outbox entry); resolves once it was delivered (true) or failed (false, logged); never rejects.
   */
  notify(record: ExecutionRecord, owed?: OwedStatusChange): Promise<boolean> {
    const deliver = this.deliver;
    if (!deliver) return Promise.resolve(true);
    const event = owed ? statusChangeEvent(record, owed.id, owed.timeMs) : statusChangeEvent(record, randomUUID(), this.nowMs());
    const previous = this.queues.get(record.executionArn) ?? Promise.resolve(true);
    const delivery = previous.then(async () => {
      try {
        await deliver(event);
        return true;
      } catch (error) {
        this.log(`onExecutionStatusChange failed for ${event.detail.status} of ${record.executionArn}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        return false;
      }
    });
    this.queues.set(record.executionArn, delivery);
    void delivery.then(() => {
      if (this.queues.get(record.executionArn) === delivery) this.queues.delete(record.executionArn);
    });
    return this.inFlight.track(delivery);
  }
}
