import { Validations, type Acknowledgment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthBackfillStack } from './support/synthBackfillStack';

// Every cdk-nag acknowledgement must answer a finding the stack really has, on the construct
// that has it, and acknowledge one wildcard resource, never a whole rule. GIVEN the stack built
// with acknowledgements recorded instead of applied (an extra source bucket adds its grants):
const recorded: { scopePath: string; id: string; reason: string }[] = [];
const spy = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: Validations, ...rules: Acknowledgment[]) {
  // `scope` is private in Validations; reading it here only labels what was acknowledged where.
  const scopePath = (this as unknown as { scope: { node: { path: string } } }).scope.node.path;
  for (const rule of rules) recorded.push({ scopePath, id: rule.id, reason: rule.reason });
});
const { stack } = synthBackfillStack({ extraSourceBucketNames: ['partner-exports'] });
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
    expect(recorded.map((a) => a.id).filter((id) => !/^AwsSolutions-IAM5\[Resource::.+\]$/.test(id))).toEqual([]);
  });

  it('each give a reason a reviewer can check', () => {
    expect(recorded.filter((a) => a.reason.length < 40)).toEqual([]);
  });
});
