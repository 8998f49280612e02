import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The one way this stack makes a dead-letter queue for events it failed to deliver (an
 * EventBridge rule's or a Scheduler schedule's): SQS-managed encryption (both services can send
 * to it without a key policy), TLS only, and the longest retention SQS allows, so an operator has
 * two weeks to see what was dropped. `what` names the sender in the reason of cdk-nag's SQS3
 * acknowledgement: the queue is itself a dead-letter queue, which that rule recognises only for
 * queues and Lambda functions.
 */
export function createDeadLetterQueue(scope: Construct, id: string, what: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: `This queue is the dead-letter queue of ${what}; a dead-letter queue needs none of its own.` });
  return queue;
}
