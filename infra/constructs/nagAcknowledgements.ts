import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's `AwsSolutions-IAM5` finding for each wildcard resource that `grant` put
 * on a principal's policy, with one reviewed reason. Only the resources of this grant are
 * acknowledged, by their exact finding id (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/snapshots/*]`),
 * so a wildcard added anywhere else still fails the check.
 *
 * @param scope the construct to record the acknowledgement on: the role (or an ancestor) whose policy holds the grant
 * @example
 *   acknowledgeWildcardResources(role, artifacts.grantPut(fn, 'snapshots'), 'Snapshot keys include runId/batchId/attempt, unknown until run time.');
 */
export function acknowledgeWildcardResources(scope: IConstruct, grant: iam.Grant, reason: string): void {
  for (const statement of grant.principalStatements) acknowledgeWildcardStatement(scope, statement, reason);
}

/**
 * As `acknowledgeWildcardResources`, for one statement added without a grant (e.g. to a managed policy).
 *
 * @example
 *   acknowledgeWildcardStatement(policy, statement, 'Execution ids are generated at run time; limited to this state machine.');
 */
export function acknowledgeWildcardStatement(scope: IConstruct, statement: iam.PolicyStatement, reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of statement.resources) {
    const finding = flattenReference(stack.resolve(resource));
    if (finding.includes('*')) Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${finding}]`, reason });
  }
}

/** Acknowledges `AwsSolutions-IAM5[Resource::*]`: for actions that support no resource-level permissions. */
export function acknowledgeStarResource(scope: IConstruct, reason: string): void {
  Validations.of(scope).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
}

// Renders a resolved CloudFormation value the way cdk-nag names findings: Ref X -> <X>,
// GetAtt X.A -> <X.A>, Join concatenated, and ${...} in strings -> <...>.
function flattenReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ('Fn::Join' in node) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if ('Fn::Sub' in node) return flattenReference(node['Fn::Sub']);
    if ('Fn::GetAtt' in node) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if ('Ref' in node) return `<${flattenReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
}
