import { ApprovalConfigurationError } from '../../../lambdas/lib/approval/errors';
import { approvalServicesFromEnvironment } from '../../../lambdas/lib/approval/ApprovalServices';

// The stack sets on each approval function only what its grants allow (infra/constructs/HandlerFunctions.ts):
// RequestApproval all three variables; the approval page only the signing secret, since its own
// URL cannot be in its environment (a circular reference) and it publishes nothing.
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:signing-AbCdEf';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:approvals';
const PAGE = 'https://abc123.lambda-url.us-east-1.on.aws/';

describe('approvalServicesFromEnvironment', () => {
  it('reads the topic, the page URL and the signing secret of a function that sends links', () => {
    // WHEN
    const services = approvalServicesFromEnvironment({ APPROVAL_TOPIC_ARN: TOPIC, APPROVAL_PAGE_URL: PAGE, APPROVAL_SIGNING_SECRET_ARN: SECRET });
    // THEN
    expect(services.topicArn).toBe(TOPIC);
    expect(services.pageBaseUrl).toBe(PAGE);
  });

  it('builds the approval page\'s services from the signing secret alone (the stack gives it no URL or topic)', () => {
    // WHEN
    const services = approvalServicesFromEnvironment({ APPROVAL_SIGNING_SECRET_ARN: SECRET });
    // THEN only sending links is refused, naming the variable and the grant that sets it
    expect(() => services.pageBaseUrl).toThrow(ApprovalConfigurationError);
    expect(() => services.pageBaseUrl).toThrow('APPROVAL_PAGE_URL is not set: this function sends no approval links (the stack sets it on functions with the approvals:notify grant)');
    expect(() => services.topicArn).toThrow('APPROVAL_TOPIC_ARN is not set: this function sends no approval links (the stack sets it on functions with the approvals:notify grant)');
  });

  it('refuses a missing signing secret, or a page URL that is not one', () => {
    expect(() => approvalServicesFromEnvironment({ APPROVAL_TOPIC_ARN: TOPIC, APPROVAL_PAGE_URL: PAGE })).toThrow('APPROVAL_SIGNING_SECRET_ARN');
    expect(() => approvalServicesFromEnvironment({ APPROVAL_SIGNING_SECRET_ARN: SECRET, APPROVAL_PAGE_URL: 'not a url' })).toThrow('APPROVAL_PAGE_URL must be the approval function URL');
  });
});
