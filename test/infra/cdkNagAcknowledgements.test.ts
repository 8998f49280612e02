import { Validations, type Acknowledgment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { exampleSchedules } from './support/exampleSchedules';
import { synthBackfillStack } from './support/synthBackfillStack';

// Every cdk-nag acknowledgement must answer a finding the stack really has, on the construct
// that has it, and acknowledge one wildcard resource, never a whole rule. GIVEN the stack built
// with acknowledgements recorded instead of applied (an extra source bucket adds its grants,
// schedules their dead-letter queue, accessControl roles the persona roles):
const recorded: { scopePath: string; id: string; reason: string }[] = [];
const spy = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: Validations, ...rules: Acknowledgment[]) {
  // `scope` is private in Validations; reading it here only labels what was acknowledged where.
  const scopePath = (this as unknown as { scope: { node: { path: string } } }).scope.node.path;
  for (const rule of rules) recorded.push({ scopePath, id: rule.id, reason: rule.reason });
});
const { stack } = synthBackfillStack({ extraSourceBucketNames: ['partner-exports'], schedules: exampleSchedules(), accessControl: 'roles' });
spy.mockRestore();
// WHEN cdk-nag checks it with nothing acknowledged
const findings = new AwsSolutionsChecks()
  .validateScope(stack)
  .violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })));

describe('cdk-nag acknowledgements', () => {
  it('are recorded (the spy saw them)', () => {
    expect(recorded.length).toBeGreaterThan(0);
  });

  it.each(recorded.map((a) => [a.id, a.scopePath]))('%s on %s answers a finding under that construct', (id, scopePath) => {
    expect(findings.filter((f) => f.id === id && f.path.startsWith(`${scopePath}/`))).not.toEqual([]);
  });

  it('cover every finding (so the real stack has none left)', () => {
    const uncovered = findings.filter((f) => !recorded.some((a) => a.id === f.id && f.path.startsWith(`${a.scopePath}/`)));
    expect(uncovered).toEqual([]);
  });

  it('each acknowledge one IAM5 wildcard resource, never a wildcard action or a whole rule', () => {
    const isDeadLetterQueueRule = (a: (typeof recorded)[number]) => a.id === 'AwsSolutions-SQS3' && a.scopePath.endsWith('/DeadLetterQueue');
    const isSigningKeyRotation = (a: (typeof recorded)[number]) => a.id === 'AwsSolutions-SMG4' && a.scopePath === 'BackfillOrchestrator/Approvals/SigningKey';
    expect(recorded.filter((a) => !isDeadLetterQueueRule(a) && !isSigningKeyRotation(a)).map((a) => a.id).filter((id) => !/^AwsSolutions-IAM5\[Resource::.+\]$/.test(id))).toEqual([]);
  });

  it('acknowledge SMG4 (a secret without automatic rotation) only on the link-signing key', () => {
    // Rotating it would invalidate every open approval link; the reason says so.
    expect(recorded.filter((a) => a.id === 'AwsSolutions-SMG4').map((a) => a.scopePath)).toEqual(['BackfillOrchestrator/Approvals/SigningKey']);
  });

  it('acknowledge SQS3 (a queue without a dead-letter queue of its own) only on dead-letter queues', () => {
    // The one whole rule acknowledged, per queue: cdk-nag recognises a dead-letter queue only when a
    // queue or a Lambda function names it, not an EventBridge target or a Scheduler schedule.
    const paths = recorded.filter((a) => a.id === 'AwsSolutions-SQS3').map((a) => a.scopePath);
    expect(paths).toContain('BackfillOrchestrator/Schedules/DeadLetterQueue');
    expect(paths.filter((path) => !path.endsWith('/DeadLetterQueue'))).toEqual([]);
  });

  it('each give a reason a reviewer can check', () => {
    expect(recorded.filter((a) => a.reason.length < 40)).toEqual([]);
  });
});
