import type { TemplateJson } from './synthBackfillStack';

/** The pretend environment the template's intrinsics are resolved in. */
export const FAKE_ENV = { partition: 'aws', region: 'us-east-1', account: '123456789012' } as const;

/** What `Ref AWS::StackId` resolves to in FAKE_ENV. */
export const FAKE_STACK_ID = `arn:${FAKE_ENV.partition}:cloudformation:${FAKE_ENV.region}:${FAKE_ENV.account}:stack/BackfillOrchestrator/00000000-0000-4000-8000-000000000000`;

/**
 * Resolves a CloudFormation value (Ref, Fn::GetAtt Arn, Fn::Join, Fn::Sub) to the string it would
 * be on AWS in FAKE_ENV. Resources without a physical name get one derived from their logical id.
 * Throws on anything else, so a test never compares an unresolved object by accident.
 */
export function resolveValue(template: TemplateJson, value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') throw new Error(`cannot resolve ${JSON.stringify(value)}`);
  const node = value as Record<string, unknown>;
  if ('Ref' in node) return refOf(template, String(node.Ref));
  if ('Fn::GetAtt' in node) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`cannot resolve GetAtt ${id}.${attribute}`);
    return arnOf(template, id);
  }
  if ('Fn::Join' in node) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map((item) => resolveValue(template, item)).join(delimiter);
  }
  if ('Fn::Sub' in node) return String(node['Fn::Sub']).replace(/\$\{([^}]+)\}/g, (_, name: string) => refOf(template, name));
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

function refOf(template: TemplateJson, id: string): string {
  const pseudo: Record<string, string> = {
    'AWS::Partition': FAKE_ENV.partition,
    'AWS::Region': FAKE_ENV.region,
    'AWS::AccountId': FAKE_ENV.account,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackId': FAKE_STACK_ID,
  };
  if (pseudo[id]) return pseudo[id];
  const resource = resourceOf(template, id);
  // Resources whose Ref is their ARN.
  if (['AWS::StepFunctions::StateMachine', 'AWS::SNS::Topic', 'AWS::SecretsManager::Secret'].includes(resource.Type)) return arnOf(template, id);
  return physicalName(id, resource);
}

function arnOf(template: TemplateJson, id: string): string {
  const resource = resourceOf(template, id);
  const name = physicalName(id, resource);
  const { partition, region, account } = FAKE_ENV;
  switch (resource.Type) {
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${partition}:dynamodb:${region}:${account}:table/${name}`;
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${name}`;
    case 'AWS::Logs::LogGroup':
      return `arn:${partition}:logs:${region}:${account}:log-group:${name}:*`;
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${account}:role/${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${partition}:states:${region}:${account}:stateMachine:${name}`;
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${account}:${name}`;
    case 'AWS::SNS::Topic':
      return `arn:${partition}:sns:${region}:${account}:${name}`;
    case 'AWS::KMS::Key':
      return `arn:${partition}:kms:${region}:${account}:key/${name}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:${partition}:secretsmanager:${region}:${account}:secret:${name}-AbCdEf`;
    default:
      throw new Error(`no ARN rule for ${resource.Type} (${id})`);
  }
}

const NAME_PROPERTY: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SecretsManager::Secret': 'Name',
};

function physicalName(id: string, resource: TemplateJson['Resources'][string]): string {
  const key = NAME_PROPERTY[resource.Type];
  const given = key ? resource.Properties?.[key] : undefined;
  if (typeof given === 'string') return given;
  // Bucket names must be lowercase; a generated name keeps the logical id recognizable.
  return resource.Type === 'AWS::S3::Bucket' ? `gen-${id.toLowerCase()}` : `gen-${id}`;
}

function resourceOf(template: TemplateJson, id: string): TemplateJson['Resources'][string] {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`no resource ${id} in the template`);
  return resource;
}

/** One (action, resource) pair a policy allows, with the resource resolved to a string. */
export interface Permission {
  readonly action: string;
  readonly resource: string;
}

/**
 * Every permission the role with this logical id holds: its inline policies and every
 * AWS::IAM::Policy attached to it, expanded to (action, resource) pairs. Fails on what this
 * evaluator does not model (Deny, NotAction, NotResource, Condition, managed policies) rather
 * than misjudging it.
 */
export function rolePermissions(template: TemplateJson, roleId: string): Permission[] {
  const role = resourceOf(template, roleId);
  if (role.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is a ${role.Type}, not a role`);
  if (role.Properties?.ManagedPolicyArns) throw new Error(`${roleId} has managed policies: ${JSON.stringify(role.Properties.ManagedPolicyArns)}`);
  const documents: unknown[] = [];
  for (const inline of (role.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) documents.push(inline.PolicyDocument);
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const roles = (resource.Properties?.Roles as unknown[] | undefined) ?? [];
    if (roles.some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }))) documents.push(resource.Properties?.PolicyDocument);
  }
  return documents.flatMap((document) => documentPermissions(template, document, roleId));
}

/** Every permission one AWS::IAM::ManagedPolicy (by logical id) grants, as `rolePermissions` expands them. */
export function managedPolicyPermissions(template: TemplateJson, policyId: string): Permission[] {
  const policy = resourceOf(template, policyId);
  if (policy.Type !== 'AWS::IAM::ManagedPolicy') throw new Error(`${policyId} is a ${policy.Type}, not a managed policy`);
  return documentPermissions(template, policy.Properties?.PolicyDocument, policyId);
}

function documentPermissions(template: TemplateJson, document: unknown, owner: string): Permission[] {
  const permissions: Permission[] = [];
  for (const statement of (document as { Statement: Record<string, unknown>[] }).Statement) {
    for (const unsupported of ['NotAction', 'NotResource', 'Condition', 'NotPrincipal']) {
      if (unsupported in statement) throw new Error(`${owner}: statements with ${unsupported} are not modelled: ${JSON.stringify(statement)}`);
    }
    if (statement.Effect !== 'Allow') throw new Error(`${owner}: only Allow statements are modelled: ${JSON.stringify(statement)}`);
    for (const action of toArray(statement.Action)) {
      for (const resource of toArray(statement.Resource)) permissions.push({ action: String(action), resource: resolveValue(template, resource) });
    }
  }
  return permissions;
}

/** Whether one of `permissions` allows `action` on the concrete `resourceArn` (IAM wildcard matching). */
export function isAllowed(permissions: readonly Permission[], action: string, resourceArn: string): boolean {
  return permissions.some((p) => globMatches(p.action, action, true) && globMatches(p.resource, resourceArn, false));
}

/** IAM's wildcard rule: `*` any run of characters, `?` any one; actions are case-insensitive. */
function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function toArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Sorted `action resource` lines: a readable, order-independent form for exact comparisons. */
export function permissionLines(permissions: readonly Permission[]): string[] {
  return [...new Set(permissions.map((p) => `${p.action} ${p.resource}`))].sort();
}
