import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { readBreaker } from '../../../lambdas/lib/breaker';
import { resolveBreakerThresholds } from '../../../lambdas/lib/health';
import type { AlarmStateChangeEvent } from '../../../local/alarms/alarmStateChangeEvent';
import type { DeliveredOperationsMessage } from '../../../local/alarms/operationsOutbox';
import { localSfnClient } from '../../../local/cloud/cloudExecution';
import { startLocalCloud } from '../../../local/cloud/startLocalCloud';
import { waitFor } from '../../support';
import { EXAMPLE_SPEC } from '../runtime/localRun';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

jest.setTimeout(120_000);

const ALARM_ARN = (name: string) => `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`;

describe('the breaker alarms of the local cloud', () => {
  it("the worker's BatchesFailed EMF trips the batches-failed alarm, its composite opens the breaker through the real breaker handler, and the operators are told", async () => {
    // GIVEN a local cloud whose batches-failed alarm counts over 10 s periods, threshold 1
    const messages: DeliveredOperationsMessage[] = [];
    const changes: AlarmStateChangeEvent[] = [];
    const cloud = await startLocalCloud({
      codeVersion: 'test',
      demo: { records: 600 },
      breakerThresholds: resolveBreakerThresholds({ batchesFailed: { periodSeconds: 10, threshold: 1 } }),
      onOperationsMessage: (message) => messages.push(message),
      onAlarmStateChange: (event) => changes.push(event),
    });
    const sfn = localSfnClient(cloud);
    try {
      expect((await readBreaker(cloud.env.deps)).state).toBe('CLOSED');
      // WHEN a run whose every batch fails (the spec names the wrong partition key) runs, its failures tolerated
      const target = { tableName: 'order-summaries', partitionKey: 'customerId', versionAttribute: 'version' };
      const spec = { ...EXAMPLE_SPEC, target, batchSize: 100, maxConcurrency: 2, toleratedFailurePercent: 100, runId: 'failing-run', startedBy: 'test' };
      const startedAt = Date.now();
      await sfn.send(new StartExecutionCommand({ stateMachineArn: cloud.endpoints.resources.backfillStateMachineArn, name: 'failing-run', input: JSON.stringify(spec) }));
      // THEN within a few periods the breaker is OPEN, opened by the composite alarm, naming its triggering child
      const breaker = await waitFor(
        async () => {
          const record = await readBreaker(cloud.env.deps);
          return record.state === 'OPEN' && record;
        },
        { describe: 'the breaker to open', timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(breaker).toMatchObject({
        state: 'OPEN',
        openedBy: 'alarm:local-breaker',
        alarm: { name: 'local-breaker', arn: ALARM_ARN('local-breaker') },
        triggeringAlarms: [{ name: 'local-breaker-batches-failed', arn: ALARM_ARN('local-breaker-batches-failed'), state: 'ALARM' }],
      });
      expect(breaker.reason).toContain('local-breaker-batches-failed transitioned to ALARM');
      expect(Date.parse(breaker.openedAt!)).toBeGreaterThanOrEqual(startedAt);
      // AND the alarms went there as CloudWatch's would: the child, then the composite, from OK
      const toAlarm = changes.filter((e) => e.detail.state.value === 'ALARM').map((e) => [e.detail.alarmName, e.detail.previousState.value]);
      expect(toAlarm.slice(0, 2)).toEqual([
        ['local-breaker-batches-failed', 'OK'],
        ['local-breaker', 'OK'],
      ]);
      // AND the operators got the breaker's message in the outbox
      await waitFor(() => messages.length > 0, { describe: 'an operations message', timeoutMs: 5_000 });
      expect(messages[0]!.file).toMatch(new RegExp(`^${cloud.approvals.outboxDir}/\\d{8}T\\d{6}Z-000001-operations\\.json$`));
    } finally {
      sfn.destroy();
      await cloud.close({ drainMs: 100 });
    }
  });
});
