/**
 * The one place that loads aws-local-stepfunctions. The package is ESM-first; with `module: node16`
 * a CommonJS file may only take its types with `resolution-mode: import`, and its CommonJS build
 * with `require`.
 */
import type {
  StateMachineDefinition,
  RunOptions,
} from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };

type AwsLocalStepFunctions = typeof import('aws-local-stepfunctions', { with: { 'resolution-mode': 'import' } });

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sfn = require('aws-local-stepfunctions') as AwsLocalStepFunctions;

export const { StateMachine, ExecutionError, ExecutionTimeoutError } = sfn;
export type LocalStateMachine = InstanceType<AwsLocalStepFunctions['StateMachine']>;
export type { StateMachineDefinition, RunOptions };
/** One event of an execution's `eventLogs` (the package does not export the type). */
export type PackageEvent = ReturnType<LocalStateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
