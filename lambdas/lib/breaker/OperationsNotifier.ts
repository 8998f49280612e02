import type { PublishCommandInput } from '@aws-sdk/client-sns';

/**
 * Where operators are told about the breaker and paused runs: the operations SNS topic on AWS
 * (env OPERATIONS_TOPIC_ARN), an outbox locally. Optional on Deps (`deps.operations`).
 */
export interface OperationsNotifier {
  publish(input: PublishCommandInput): Promise<void>;
  readonly topicArn: string;
}
