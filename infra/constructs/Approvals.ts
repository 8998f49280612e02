import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** One person who signs off runs: the stack subscribes their address to the approval topic. */
export interface Approver {
  /** Spelled exactly as in the specs' `approval.approvers`: the filter policy compares it as is. */
  readonly email: string;
}

export interface ApprovalsProps {
  /**
   * The people subscribed to the approval topic by email, each receiving only the messages whose
   * `approver` attribute is their own address (their own signed link).
   * @default - no subscriptions: approval links are published, but reach no one by email
   */
  readonly approvers?: readonly Approver[];
}

/** The number of characters of the generated signing key: 64 of A–Z a–z 0–9 is about 381 bits, more than 32 bytes of randomness. */
export const SIGNING_KEY_LENGTH = 64;

/**
 * What human approval of a staged run needs besides its functions:
 * - an SNS topic, encrypted with a customer-managed KMS key (rotated yearly), that refuses
 *   publishing without TLS, with one email subscription per approver filtered on the message
 *   attribute `approver` (request-approval publishes one message per approver);
 * - a Secrets Manager secret, generated, that is the HMAC key signing the approval links;
 * - the approval page's Function URL (`addPage`), and the IAM-authenticated decision endpoint of
 *   `backfill approve|reject` (`addDecisionEndpoint`).
 */
export class Approvals extends Construct {
  readonly topicKey: kms.Key;
  readonly topic: sns.Topic;
  readonly signingKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ApprovalsProps = {}) {
    super(scope, id);
    this.topicKey = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Encrypts the backfill approval topic (approval links at rest)' });
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Backfill approvals', masterKey: this.topicKey, enforceSSL: true });
    // Each subscription's construct id is its address, so reordering the list replaces none (a
    // replaced subscription would send its approver a new confirmation mail).
    for (const { email } of props.approvers ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email, { filterPolicy: { approver: sns.SubscriptionFilter.stringFilter({ allowlist: [email] }) } }));
    }
    this.signingKey = new secretsmanager.Secret(this, 'SigningKey', {
      description: 'HMAC-SHA256 key that signs backfill approval links (generated; read only by the approval functions)',
      generateSecretString: { passwordLength: SIGNING_KEY_LENGTH, excludePunctuation: true, includeSpace: false, requireEachIncludedType: false },
    });
    Validations.of(this.signingKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The link-signing key is not rotated automatically: a new key would invalidate every open approval link (a link lives as long as its approval, up to a year). Rotate it by hand when no approval is open.',
    });
  }

  /**
   * Serves the approval page from `handler` at a Function URL without IAM auth: approvers open
   * the links from their email and have no AWS credentials. Each request proves itself instead:
   * GET by the link's HMAC signature and expiry, POST also by a CSRF token bound to the approval
   * and the approver; the handler refuses anything else, and GET never decides.
   *
   * @example
   *   const url = approvals.addPage(functions.functions['approval-page']);
   *   new CfnOutput(stack, 'ApprovalPageUrl', { value: url.url });
   */
  addPage(handler: lambda.IFunction): lambda.FunctionUrl {
    return new lambda.FunctionUrl(this, 'PageUrl', { function: handler, authType: lambda.FunctionUrlAuthType.NONE });
  }

  /**
   * Serves the decision endpoint of `backfill approve|reject` from `handler` at a Function URL with
   * IAM auth: AWS verifies the caller's SigV4 signature and its permission (the approver policy's
   * lambda:InvokeFunctionUrl) and names the caller to the handler, which decides as that ARN.
   *
   * @example
   *   const url = approvals.addDecisionEndpoint(functions.functions['approval-decide']);
   *   new CfnOutput(stack, 'ApprovalDecideUrl', { value: url.url });
   */
  addDecisionEndpoint(handler: lambda.IFunction): lambda.FunctionUrl {
    return new lambda.FunctionUrl(this, 'DecideUrl', { function: handler, authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }

  /** Lets `grantee` publish approval messages: sns:Publish on the topic, and the KMS data key it is encrypted with. */
  grantNotify(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] }).combine(
      iam.Grant.addToPrincipal({ grantee, actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resourceArns: [this.topicKey.keyArn] }),
    );
  }

  /** Lets `grantee` read the link-signing key (secretsmanager:GetSecretValue on that secret only). */
  grantReadSigningKey(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [this.signingKey.secretArn] });
  }
}
