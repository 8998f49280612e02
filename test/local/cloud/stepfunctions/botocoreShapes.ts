import { readFileSync } from 'node:fs';

/** The Step Functions API model Debian's AWS CLI ships (botocore), the reference the contract test checks against. */
export const SERVICE_MODEL = '/usr/lib/python3/dist-packages/awscli/botocore/data/stepfunctions/2016-11-23/service-2.json';

interface Shape {
  readonly type: string;
  readonly required?: readonly string[];
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly member?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

interface ServiceModel {
  readonly operations: Readonly<Record<string, { readonly output?: { readonly shape: string }; readonly errors?: ReadonlyArray<{ readonly shape: string }> }>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

/**
 * Debian's model is aws-cli 2.9 (January 2023): it predates redrive (November 2023). These are the
 * members and event types the current API added since, as @aws-sdk/client-sfn's model has them;
 * the server sends them for its restarted executions. Nothing else beyond the old model is allowed.
 */
const NEWER_SHAPES: Readonly<Record<string, Shape>> = {
  RedriveCount: { type: 'integer', min: 0 },
  ExecutionRedrivenEventDetails: { type: 'structure', members: { redriveCount: { shape: 'RedriveCount' } } },
  MapRunRedrivenEventDetails: { type: 'structure', members: { mapRunArn: { shape: 'LongArn' }, redriveCount: { shape: 'RedriveCount' } } },
};
const NEWER_MEMBERS: Readonly<Record<string, Readonly<Record<string, { readonly shape: string }>>>> = {
  DescribeExecutionOutput: { redriveCount: { shape: 'RedriveCount' }, redriveDate: { shape: 'Timestamp' } },
  ExecutionListItem: { redriveCount: { shape: 'RedriveCount' }, redriveDate: { shape: 'Timestamp' } },
  DescribeMapRunOutput: { redriveCount: { shape: 'RedriveCount' }, redriveDate: { shape: 'Timestamp' } },
  MapRunExecutionCounts: { failuresNotRedrivable: { shape: 'UnsignedLong' }, pendingRedrive: { shape: 'UnsignedLong' } },
  MapRunItemCounts: { failuresNotRedrivable: { shape: 'UnsignedLong' }, pendingRedrive: { shape: 'UnsignedLong' } },
  HistoryEvent: { executionRedrivenEventDetails: { shape: 'ExecutionRedrivenEventDetails' }, mapRunRedrivenEventDetails: { shape: 'MapRunRedrivenEventDetails' } },
};
const NEWER_ENUM_VALUES: Readonly<Record<string, readonly string[]>> = { HistoryEventType: ['ExecutionRedriven', 'MapRunRedriven'] };

let model: ServiceModel | undefined;
function load(): ServiceModel {
  if (model) return model;
  const old = JSON.parse(readFileSync(SERVICE_MODEL, 'utf8')) as ServiceModel;
  const shapes: Record<string, Shape> = { ...old.shapes, ...NEWER_SHAPES };
  for (const [name, members] of Object.entries(NEWER_MEMBERS)) shapes[name] = { ...shapes[name], members: { ...shapes[name].members, ...members } };
  for (const [name, values] of Object.entries(NEWER_ENUM_VALUES)) shapes[name] = { ...shapes[name], enum: [...(shapes[name].enum ?? []), ...values] };
  return (model = { operations: old.operations, shapes });
}

/**
 * What is wrong with `body` as the JSON output of `operation` (JSON protocol: timestamps are epoch
 * seconds): missing required members, unknown members, wrong types, values outside an enum or range.
 * @example
 *   expect(outputProblems('DescribeExecution', await rawCall('DescribeExecution', { executionArn }))).toEqual([]);
 */
export function outputProblems(operation: string, body: unknown): string[] {
  const output = load().operations[operation]?.output;
  if (!output) return [`${operation} is not an operation of the model`];
  const problems: string[] = [];
  check(output.shape, body, operation, problems);
  return problems;
}

function check(shapeName: string, value: unknown, path: string, problems: string[]): void {
  const shape = load().shapes[shapeName];
  const fail = (what: string) => problems.push(`${path}: ${what} (shape ${shapeName}, got ${JSON.stringify(value)?.slice(0, 80)})`);
  switch (shape.type) {
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return void fail('expected an object');
      const record = value as Record<string, unknown>;
      for (const member of shape.required ?? []) if (record[member] === undefined) fail(`missing required member ${member}`);
      for (const [member, memberValue] of Object.entries(record)) {
        const memberShape = shape.members?.[member];
        if (!memberShape) fail(`unknown member ${member}`);
        else check(memberShape.shape, memberValue, `${path}.${member}`, problems);
      }
      return;
    }
    case 'list':
      if (!Array.isArray(value)) return void fail('expected an array');
      value.forEach((item, index) => check(shape.member!.shape, item, `${path}[${index}]`, problems));
      return;
    case 'map':
      if (value === null || typeof value !== 'object') return void fail('expected an object');
      for (const [key, item] of Object.entries(value)) check(shape.value!.shape, item, `${path}.${key}`, problems);
      return;
    case 'string':
      if (typeof value !== 'string') return void fail('expected a string');
      if (shape.enum && !shape.enum.includes(value)) fail(`expected one of ${shape.enum.join(', ')}`);
      if (shape.min !== undefined && value.length < shape.min) fail(`shorter than ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) fail(`longer than ${shape.max}`);
      return;
    case 'integer':
    case 'long':
      if (!Number.isInteger(value)) return void fail('expected an integer');
      if (shape.min !== undefined && (value as number) < shape.min) fail(`below ${shape.min}`);
      return;
    case 'float':
    case 'double':
      if (typeof value !== 'number') fail('expected a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('expected a boolean');
      return;
    case 'timestamp':
      // JSON protocol: epoch seconds as a number; a plausible date (2020-2100).
      if (typeof value !== 'number' || value < 1.5e9 || value > 4.2e9) fail('expected epoch seconds');
      return;
    default:
      fail(`shape type ${shape.type} is not checked`);
  }
}

// Errors every AWS JSON operation can answer (AWS's "common errors"), beside those the model lists per operation.
const COMMON_ERRORS = ['ValidationException', 'SerializationException', 'UnknownOperationException'];

/** The error codes `operation` may answer: those the model declares, plus the common ones. */
export function errorCodesOf(operation: string): string[] {
  return [...(load().operations[operation]?.errors ?? []).map((error) => error.shape), ...COMMON_ERRORS];
}
