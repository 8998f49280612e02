import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** One person on call for the stack's runs: the stack subscribes their address to the operations topic. */
export interface Operator {
  readonly email: string;
}

export interface OperationsProps {
  /**
   * The people subscribed by email to the operations topic (the breaker opened, a run paused).
   * @default - no subscriptions: notifications are published, but reach no one by email
   */
  readonly operators?: readonly Operator[];
}

/**
 * What the people operating runs are told and act through:
 * - an SNS topic, encrypted with a customer-managed KMS key (rotated yearly), that refuses
 *   publishing without TLS, with one email subscription per operator: the breaker handler and a
 *   paused run notify it;
 * - the IAM-authenticated control endpoint of `backfill pause|resume|abort|breaker` (`addControlEndpoint`).
 */
export class Operations extends Construct {
  readonly topicKey: kms.Key;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsProps = {}) {
    super(scope, id);
    this.topicKey = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Encrypts the backfill operations topic (breaker and pause notifications at rest)' });
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Backfill operations', masterKey: this.topicKey, enforceSSL: true });
    // Each subscription's construct id is its address, so reordering the list replaces none (a
    // replaced subscription would send its operator a new confirmation mail).
    for (const { email } of props.operators ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
  }

  /**
   * Serves the operator controls from `handler` at a Function URL with IAM auth: AWS verifies the
   * caller's SigV4 signature and its permission (the operator policy's lambda:InvokeFunctionUrl)
   * and names the caller to the handler, which audits every action as that ARN.
   *
   * @example
   *   const url = operations.addControlEndpoint(functions.functions['operator-control']);
   *   new CfnOutput(stack, 'ControlsUrl', { value: url.url });
   */
  addControlEndpoint(handler: lambda.IFunction): lambda.FunctionUrl {
    return new lambda.FunctionUrl(this, 'ControlsUrl', { function: handler, authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }

  /** Lets `grantee` publish to the operations topic: sns:Publish on it, and the KMS data key it is encrypted with. */
  grantNotify(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] }).combine(
      iam.Grant.addToPrincipal({ grantee, actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resourceArns: [this.topicKey.keyArn] }),
    );
  }
}
