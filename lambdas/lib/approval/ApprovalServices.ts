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
 * The Lambda environment the stack sets on the approval functions, each variable with the grant it
 * comes with: every approval function reads the signing secret; only the one that sends links
 * (request-approval) has the topic and the page's URL (the page cannot name its own URL).
 */
export const ApprovalEnvironmentSchema = z.object({
  APPROVAL_SIGNING_SECRET_ARN: z.string({ error: 'must name the Secrets Manager secret approval links are signed with' }).min(1, 'must not be empty'),
  APPROVAL_TOPIC_ARN: z.string().min(1, 'must not be empty').optional(),
  APPROVAL_PAGE_URL: z.url({ error: 'must be the approval function URL (https://…)' }).optional(),
});

const SENDS_NO_LINKS = 'this function sends no approval links (the stack sets it on functions with the approvals:notify grant)';

const incomplete = (problems: string): ApprovalConfigurationError =>
  new ApprovalConfigurationError(`Approval function environment is incomplete: ${problems}; redeploy the stack`);

/**
 * Reads the signing secret once per cold start: the SecretString's UTF-8 bytes (the stack generates
 * a long random string). A failed read is not cached, so the next request tries again.
 *
 * @example
 * const signingKey = signingKeyFromSecret(new SecretsManagerClient({}), process.env.APPROVAL_SIGNING_SECRET_ARN!);
 * const key = await signingKey(); // read once, then cached
 */
export function signingKeyFromSecret(client: Pick<SecretsManagerClient, 'send'>, secretArn: string): () => Promise<Buffer> {
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
 * defaults, configured from `APPROVAL_SIGNING_SECRET_ARN` and, for the function that sends links,
 * `APPROVAL_TOPIC_ARN` and `APPROVAL_PAGE_URL`.
 *
 * @throws ApprovalConfigurationError when a variable is malformed or the secret's is missing; reading
 *   `topicArn` or `pageBaseUrl` without its variable throws it too
 * @example
 * const approvals = approvalServicesFromEnvironment(process.env);
 * await approvals.notifier.publish({ TopicArn: approvals.topicArn, Message: '…' });
 */
export function approvalServicesFromEnvironment(env: NodeJS.ProcessEnv = process.env): ApprovalServices {
  const parsed = ApprovalEnvironmentSchema.safeParse(env);
  if (!parsed.success) throw incomplete(parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join('; '));
  const { APPROVAL_SIGNING_SECRET_ARN, APPROVAL_TOPIC_ARN, APPROVAL_PAGE_URL } = parsed.data;
  const sns = new SNSClient({});
  return {
    sfn: new SFNClient({}),
    notifier: {
      publish: async (input) => {
        await sns.send(new PublishCommand(input));
      },
    },
    signingKey: signingKeyFromSecret(new SecretsManagerClient({}), APPROVAL_SIGNING_SECRET_ARN),
    // Read only by the function that sends links; another one asking is a wiring bug, named here.
    get pageBaseUrl(): string {
      if (APPROVAL_PAGE_URL === undefined) throw incomplete(`APPROVAL_PAGE_URL is not set: ${SENDS_NO_LINKS}`);
      return APPROVAL_PAGE_URL;
    },
    get topicArn(): string {
      if (APPROVAL_TOPIC_ARN === undefined) throw incomplete(`APPROVAL_TOPIC_ARN is not set: ${SENDS_NO_LINKS}`);
      return APPROVAL_TOPIC_ARN;
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
