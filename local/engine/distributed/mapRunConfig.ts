import { UnsupportedDefinitionError, statesRuntimeError } from '../errors';
import { queryPath, type ContextObject } from '../jsonPath';
import type { AslState, ChildExecutionType } from '../types';

/**
 * Children in flight when MaxConcurrency is 0 or absent. AWS then allows up to 10,000 at once;
 * locally that many concurrent handlers only measures the laptop.
 */
export const LOCAL_MAX_CONCURRENCY = 1000;

export const S3_GET_OBJECT = 'arn:aws:states:::s3:getObject';
export const S3_PUT_OBJECT = 'arn:aws:states:::s3:putObject';
const INPUT_TYPES = ['JSON', 'JSONL'];

/** The runtime knobs of one Map Run, resolved against the Map's effective input. */
export interface MapRunConfig {
  readonly executionType: ChildExecutionType;
  /** `Label`, else the state name: the middle part of the Map Run ARN. */
  readonly label: string;
  /** In force at the start: the declared value, 0 (unlimited) and larger values capped at LOCAL_MAX_CONCURRENCY. */
  readonly maxConcurrency: number;
  /** As declared (0 = unlimited), what DescribeMapRun reports. */
  readonly declaredMaxConcurrency: number;
  readonly toleratedFailurePercentage?: number;
  readonly toleratedFailureCount?: number;
}

function objectField(state: AslState, field: string): Readonly<Record<string, unknown>> | undefined {
  const value = state[field];
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/** The ItemProcessor (or legacy Iterator) of a Map state. */
export function itemProcessorOf(state: AslState): Readonly<Record<string, unknown>> | undefined {
  return objectField(state, 'ItemProcessor') ?? objectField(state, 'Iterator');
}

export function isDistributedMap(state: AslState): boolean {
  const config = itemProcessorOf(state)?.ProcessorConfig as { Mode?: unknown } | undefined;
  return state.Type === 'Map' && config?.Mode === 'DISTRIBUTED';
}

/**
 * Refuses, before anything runs, the distributed-Map fields the local engine does not emulate,
 * instead of silently running something else than AWS would.
 */
export function assertDistributedMapSupported(stateName: string, state: AslState): void {
  const refuse = (detail: string): never => {
    throw new UnsupportedDefinitionError(stateName, detail);
  };
  const executionType = (itemProcessorOf(state)?.ProcessorConfig as { ExecutionType?: unknown }).ExecutionType ?? 'STANDARD';
  if (executionType !== 'EXPRESS' && executionType !== 'STANDARD') refuse(`ProcessorConfig.ExecutionType must be EXPRESS or STANDARD, got ${String(executionType)}`);
  const reader = objectField(state, 'ItemReader');
  if (reader) {
    if (reader.Resource !== S3_GET_OBJECT) refuse(`ItemReader.Resource ${String(reader.Resource)} is not emulated; use ${S3_GET_OBJECT}`);
    const inputType = (reader.ReaderConfig as { InputType?: unknown } | undefined)?.InputType;
    if (!INPUT_TYPES.includes(String(inputType))) refuse(`ItemReader.ReaderConfig.InputType ${String(inputType)} is not emulated; use JSON or JSONL`);
    if (state.ItemsPath !== undefined) refuse('ItemsPath cannot be combined with ItemReader');
  }
  const batcher = objectField(state, 'ItemBatcher');
  if (batcher && !['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'].some((f) => f in batcher)) {
    refuse('ItemBatcher needs MaxItemsPerBatch(Path) or MaxInputBytesPerBatch(Path)');
  }
  const writer = objectField(state, 'ResultWriter');
  if (writer) {
    if (writer.WriterConfig !== undefined) refuse('ResultWriter.WriterConfig (Transformation/OutputType) is not emulated; remove it to get the default NONE/JSON export');
    if (writer.Resource !== S3_PUT_OBJECT) refuse(`ResultWriter.Resource must be ${S3_PUT_OBJECT}`);
  }
  if (state.ItemSelector !== undefined && state.Parameters !== undefined) refuse('use ItemSelector or Parameters, not both');
}

interface NumberRule {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/**
 * Reads a number given statically (`Field`) or by reference path (`FieldPath`).
 * A value out of range is a `States.Runtime` error, as on AWS.
 */
export function readNumberField(
  holder: Readonly<Record<string, unknown>>,
  field: string,
  input: unknown,
  context: ContextObject,
  rule: NumberRule,
): number | undefined {
  const path = holder[`${field}Path`];
  const value = typeof path === 'string' ? queryPath(path, input, context, `${field}Path`) : holder[field];
  if (value === undefined) return undefined;
  const valid = typeof value === 'number' && value >= rule.min && value <= rule.max && (!rule.integer || Number.isInteger(value));
  if (!valid) {
    throw statesRuntimeError(
      `${field} must be ${rule.integer ? 'an integer' : 'a number'} from ${rule.min} to ${rule.max}, got ${JSON.stringify(value)}` +
        (typeof path === 'string' ? ` (from ${field}Path ${path})` : ''),
    );
  }
  return value;
}

export function resolveMapRunConfig(stateName: string, state: AslState, input: unknown, context: ContextObject): MapRunConfig {
  const processorConfig = itemProcessorOf(state)?.ProcessorConfig as { ExecutionType?: ChildExecutionType };
  const maxConcurrency = readNumberField(state, 'MaxConcurrency', input, context, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }) ?? 0;
  const toleratedFailurePercentage = readNumberField(state, 'ToleratedFailurePercentage', input, context, { min: 0, max: 100, integer: false });
  const toleratedFailureCount = readNumberField(state, 'ToleratedFailureCount', input, context, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  return {
    executionType: processorConfig.ExecutionType ?? 'STANDARD',
    label: typeof state.Label === 'string' ? state.Label : stateName,
    maxConcurrency: maxConcurrency === 0 ? LOCAL_MAX_CONCURRENCY : Math.min(maxConcurrency, LOCAL_MAX_CONCURRENCY),
    declaredMaxConcurrency: maxConcurrency,
    ...(toleratedFailurePercentage !== undefined ? { toleratedFailurePercentage } : {}),
    ...(toleratedFailureCount !== undefined ? { toleratedFailureCount } : {}),
  };
}
