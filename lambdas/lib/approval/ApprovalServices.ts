import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { ApprovalConfigurationError } from './errors';
import { MINIMUM_KEY_BYTES } from './keys';

/** Delivers one approval message (SNS on AWS; the local outbox when run locally). */
export interface ApprovalNotifier {
  publish(input: PublishCommandInput): Promise<void>;
}

/**
 * What the approval handlers need besides the ledger: Step Functions to release or fail the waiting
 * task, a notifier for the approvers' messages, the link signing secret and where the page is served.
 * Optional on Deps (`deps.approvals`): the local runtime builds one around its outbox, key file and
 * local Step Functions endpoint; on AWS `approvalServicesOf(deps)` builds it from the environment.
 */
export interface ApprovalServices {
  /** SendTaskSuccess / SendTaskFailure on the task token of a waiting RequestApproval state. */
  readonly sfn: SFNClient;
  readonly notifier: ApprovalNotifier;
  /** The secret links and CSRF tokens are signed with (at least MINIMUM_KEY_BYTES bytes). */
  signingKey(): Promise<Buffer>;
  /** The approval page's base URL (Function URL), http(s), without query; links are `<base>/approvals/<id>?…`. */
  readonly pageBaseUrl: string;
  /** The SNS topic approval messages are published to. */
  readonly topicArn: string;
}

/**
 * The Lambda environment the stack sets on the approval functions. The topic and page URL only
 * on those that send links (grant `approvals:notify`): the approval page cannot have its own URL
 * in its environment (a circular reference) and publishes nothing.
 */
export const ApprovalEnvironmentSchema = z.object({
  APPROVAL_TOPIC_ARN: z.string().min(1, 'APPROVAL_TOPIC_ARN must name the approval SNS topic').optional(),
  APPROVAL_SIGNING_SECRET_ARN: z.string().min(1, 'APPROVAL_SIGNING_SECRET_ARN must name the Secrets Manager secret approval links are signed with'),
  APPROVAL_PAGE_URL: z.string().url('APPROVAL_PAGE_URL must be the approval function URL (https://…)').optional(),
});

// A variable only functions that send links get: reading it elsewhere is a deployment fault.
function sentLinksOnly(name: string, value: string | undefined): string {
  if (value === undefined) {
    throw new ApprovalConfigurationError(`${name} is not set: this function sends no approval links (the stack sets it on functions with the approvals:notify grant)`);
  }
  return value;
}

/**
 * Reads the signing secret once per cold start: the SecretString's UTF-8 bytes (the stack generates
 * a long random string). A failed read is not cached, so the next request tries again.
 */
function cachedSecretKey(client: SecretsManagerClient, secretArn: string): () => Promise<Buffer> {
  let pending: Promise<Buffer> | undefined;
  const read = async (): Promise<Buffer> => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const key = Buffer.from(SecretString ?? '', 'utf8');
    if (key.length < MINIMUM_KEY_BYTES) {
      throw new ApprovalConfigurationError(
        `Approval signing secret ${secretArn} holds ${key.length} bytes of text, at least ${MINIMUM_KEY_BYTES} are needed; ` +
          `store a random string of 64 characters or more in it (the stack's generated secret does)`,
      );
    }
    return key;
  };
  return () => {
    pending ??= read().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/**
 * Approval services for a Lambda: SNS, Secrets Manager and Step Functions clients with the SDK's
 * defaults, configured from `APPROVAL_TOPIC_ARN`, `APPROVAL_SIGNING_SECRET_ARN`, `APPROVAL_PAGE_URL`.
 *
 * @throws ApprovalConfigurationError when a variable is malformed or the signing secret is missing;
 *   reading `topicArn` or `pageBaseUrl` throws it when that variable is not set
 * @example
 * const approvals = approvalServicesFromEnvironment(process.env);
 * await approvals.notifier.publish({ TopicArn: approvals.topicArn, Message: '…' });
 */
export function approvalServicesFromEnvironment(env: NodeJS.ProcessEnv = process.env): ApprovalServices {
  const parsed = ApprovalEnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
    throw new ApprovalConfigurationError(`Approval function environment is incomplete: ${problems}; redeploy the stack`);
  }
  const sns = new SNSClient({});
  return {
    sfn: new SFNClient({}),
    notifier: {
      publish: async (input) => {
        await sns.send(new PublishCommand(input));
      },
    },
    signingKey: cachedSecretKey(new SecretsManagerClient({}), parsed.data.APPROVAL_SIGNING_SECRET_ARN),
    get pageBaseUrl() {
      return sentLinksOnly('APPROVAL_PAGE_URL', parsed.data.APPROVAL_PAGE_URL);
    },
    get topicArn() {
      return sentLinksOnly('APPROVAL_TOPIC_ARN', parsed.data.APPROVAL_TOPIC_ARN);
    },
  };
}

let fromEnvironment: ApprovalServices | undefined;

/**
 * The approval services of these deps: the injected ones (tests, the local runtime), else built
 * once from the Lambda environment.
 *
 * @example
 * const { sfn, notifier } = approvalServicesOf(deps);
 */
export function approvalServicesOf(deps: { readonly approvals?: ApprovalServices }): ApprovalServices {
  if (deps.approvals) return deps.approvals;
  fromEnvironment ??= approvalServicesFromEnvironment();
  return fromEnvironment;
}
