import { describeFaultSpec, type FaultSpec } from '../faults';
import type { LocalCloud } from './startLocalCloud';

/**
 * What `local up` prints once it serves: the endpoints, the resources, and how to point the
 * backfill CLI and any AWS tool at them.
 * @example
 *   for (const line of describeLocalCloud(cloud, '.backfill-local')) io.out(line);
 */
export function describeLocalCloud(cloud: LocalCloud, dataDir: string): string[] {
  const { endpoints } = cloud;
  const { resources } = endpoints;
  const aws = (endpoint: string) => `aws --endpoint-url ${endpoint} --region ${endpoints.region}`;
  const proxy = cloud.env.faultProxy;
  const faults = proxy ? [`  DynamoDB faults ${proxy.endpoint}  ${faultsLine(proxy.faults())}`] : [];
  const demo = cloud.demo ? [`demo dataset: ${cloud.demo.marker.records} records (${cloud.demo.seededNow ? 'seeded now' : 'seeded earlier'})`] : [];
  return [
    `local cloud for ${dataDir} (pid ${endpoints.pid}), on 127.0.0.1:`,
    `  Step Functions  ${endpoints.stepfunctions}  state machines ${resources.backfillStateMachineArn}, ${resources.rollbackStateMachineArn}`,
    `  DynamoDB        ${endpoints.dynamodb}  ledger table ${resources.ledgerTable}`,
    ...faults,
    `  S3              ${endpoints.s3}  artifacts bucket ${resources.artifactsBucket}, source bucket ${resources.sourceBucket}`,
    `  Approval page   ${cloud.approvals.server.url}  approval messages (the SNS topic's) go to ${cloud.approvals.outboxDir}`,
    `  region ${endpoints.region}, account ${endpoints.account}; written to ${cloud.endpointsFile ?? '(no data dir)'}`,
    ...demo,
    '',
    'Use it from another terminal:',
    `  npx backfill --local ${dataDir} start --spec examples/orders-spec.json`,
    '  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local   # any values: nothing checks them',
    `  ${aws(endpoints.stepfunctions)} stepfunctions list-state-machines`,
    `  ${aws(endpoints.dynamodb)} dynamodb list-tables`,
    `  ${aws(endpoints.s3)} s3 ls s3://${resources.artifactsBucket}/`,
    '',
    'Ctrl-C (or SIGTERM) stops it; executions still running start again from their first state at the next `local up` on this data dir.',
  ];
}

/**
 * The fault proxy's line: what it injects, and into what.
 * @example
 *   faultsLine(parseFaultSpec('throttle=0.5')); // 'the handlers\' DynamoDB requests go through it: throttle=0.5 (seed 12) ...'
 */
export function faultsLine(faults: FaultSpec | undefined): string {
  return `the handlers' DynamoDB requests go through it: ${faults ? describeFaultSpec(faults) : 'no faults'} on the requests naming a target table; the ledger's pass untouched`;
}
