import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ApprovalConfigurationError, approvalServicesFromEnvironment, approvalServicesOf, signingKeyFromSecret, type ApprovalServices } from '../../../lambdas/lib/approval';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:approval-signing-key-AbCdEf';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:approvals';
const PAGE_URL = 'https://abc.lambda-url.us-east-1.on.aws/';

/** Secrets Manager has no emulator here: a double that records each request and answers from a list. */
function secretsDouble(answers: Array<string | Error>) {
  const requests: unknown[] = [];
  const client: Pick<SecretsManagerClient, 'send'> = {
    send: (async (command: GetSecretValueCommand) => {
      expect(command).toBeInstanceOf(GetSecretValueCommand);
      requests.push(command.input);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return { SecretString: answer };
    }) as SecretsManagerClient['send'],
  };
  return { client, requests };
}

describe('approval services', () => {
  it('are built from the APPROVAL_* environment of the function that sends links', () => {
    const services = approvalServicesFromEnvironment({ APPROVAL_TOPIC_ARN: TOPIC_ARN, APPROVAL_SIGNING_SECRET_ARN: SECRET_ARN, APPROVAL_PAGE_URL: PAGE_URL });
    expect([services.topicArn, services.pageBaseUrl]).toEqual([TOPIC_ARN, PAGE_URL]);
    services.sfn.destroy();
  });

  it('need only the signing secret for the page (the stack gives it no topic, and its own URL would be circular); sending links is then refused by name', () => {
    const page = approvalServicesFromEnvironment({ APPROVAL_SIGNING_SECRET_ARN: SECRET_ARN });
    expect(() => page.topicArn).toThrow(ApprovalConfigurationError);
    expect(() => page.topicArn).toThrow(
      'Approval function environment is incomplete: APPROVAL_TOPIC_ARN is not set: this function sends no approval links (the stack sets it on functions with the approvals:notify grant); redeploy the stack',
    );
    expect(() => page.pageBaseUrl).toThrow('APPROVAL_PAGE_URL is not set: this function sends no approval links');
    page.sfn.destroy();
  });

  it('refuse an incomplete environment, naming every bad variable', () => {
    expect(() => approvalServicesFromEnvironment({ APPROVAL_PAGE_URL: 'not a url' })).toThrow(ApprovalConfigurationError);
    expect(() => approvalServicesFromEnvironment({ APPROVAL_PAGE_URL: 'not a url' })).toThrow(
      'Approval function environment is incomplete: APPROVAL_SIGNING_SECRET_ARN must name the Secrets Manager secret approval links are signed with; ' +
        'APPROVAL_PAGE_URL must be the approval function URL (https://…); redeploy the stack',
    );
  });

  it('are the injected ones when the deps carry them (tests, the local runtime)', () => {
    const injected = { topicArn: 'local' } as unknown as ApprovalServices;
    expect(approvalServicesOf({ approvals: injected })).toBe(injected);
  });

  it('read the signing secret once, asking for exactly that secret; a failed read is tried again', async () => {
    const secret = 'k'.repeat(64);
    const { client, requests } = secretsDouble([new Error('throttled'), secret]);
    const signingKey = signingKeyFromSecret(client, SECRET_ARN);
    await expect(signingKey()).rejects.toThrow('throttled');
    expect(await signingKey()).toEqual(Buffer.from(secret, 'utf8'));
    expect(await signingKey()).toEqual(Buffer.from(secret, 'utf8'));
    expect(requests).toEqual([{ SecretId: SECRET_ARN }, { SecretId: SECRET_ARN }]);
  });

  it('refuse a signing secret shorter than 32 bytes, saying what to store', async () => {
    const { client } = secretsDouble(['short-secret']);
    await expect(signingKeyFromSecret(client, SECRET_ARN)()).rejects.toThrow(
      `Approval signing secret ${SECRET_ARN} holds 12 bytes of text, at least 32 are needed; store a random string of 64 characters or more in it`,
    );
  });
});
