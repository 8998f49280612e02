import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_MACHINES_DIR } from '../../../infra/paths';

/** Every ASL file the project deploys: `statemachines/*.asl.json`. */
export function aslFiles(): string[] {
  return fs
    .readdirSync(STATE_MACHINES_DIR)
    .filter((name) => name.endsWith('.asl.json'))
    .sort()
    .map((name) => path.join(STATE_MACHINES_DIR, name));
}

/** An AWS resource an ASL definition calls: a Task, or a distributed Map's ItemReader or ResultWriter. */
export interface AslResource {
  /** e.g. `ProcessBatches.ItemProcessor.ProcessBatch` */
  readonly statePath: string;
  readonly kind: 'Task' | 'ItemReader' | 'ResultWriter';
  readonly resource: string;
  readonly parameters: Record<string, unknown>;
  readonly state: Record<string, unknown>;
}

/** A Map state in DISTRIBUTED mode, with the execution type of its children. */
export interface DistributedMap {
  readonly statePath: string;
  readonly executionType: string;
}

type States = Record<string, Record<string, unknown>>;

/** Every Task resource and ItemReader/ResultWriter resource, at any depth (Map processors, Parallel branches). */
export function collectResources(definition: { States: States }): AslResource[] {
  const found: AslResource[] = [];
  walk(definition.States, '', (statePath, state) => {
    if (state.Type === 'Task') found.push({ statePath, kind: 'Task', resource: String(state.Resource), parameters: params(state), state });
    for (const kind of ['ItemReader', 'ResultWriter'] as const) {
      const field = state[kind] as Record<string, unknown> | undefined;
      if (field?.Resource) found.push({ statePath, kind, resource: String(field.Resource), parameters: params(field), state });
    }
  });
  return found;
}

/** Every Map state whose ItemProcessor runs in DISTRIBUTED mode. */
export function collectDistributedMaps(definition: { States: States }): DistributedMap[] {
  const found: DistributedMap[] = [];
  walk(definition.States, '', (statePath, state) => {
    const config = (state.ItemProcessor as { ProcessorConfig?: { Mode?: string; ExecutionType?: string } } | undefined)?.ProcessorConfig;
    if (state.Type === 'Map' && config?.Mode === 'DISTRIBUTED') found.push({ statePath, executionType: config.ExecutionType ?? 'STANDARD' });
  });
  return found;
}

function walk(states: States, prefix: string, visit: (statePath: string, state: Record<string, unknown>) => void): void {
  for (const [name, state] of Object.entries(states)) {
    const statePath = prefix ? `${prefix}.${name}` : name;
    visit(statePath, state);
    for (const key of ['ItemProcessor', 'Iterator'] as const) {
      const processor = state[key] as { States?: States } | undefined;
      if (processor?.States) walk(processor.States, `${statePath}.${key}`, visit);
    }
    const branches = (state.Branches as { States: States }[] | undefined) ?? [];
    branches.forEach((branch, i) => walk(branch.States, `${statePath}.Branches[${i}]`, visit));
  }
}

function params(holder: Record<string, unknown>): Record<string, unknown> {
  return (holder.Parameters ?? holder.Arguments ?? {}) as Record<string, unknown>;
}

/**
 * Replaces every `${Name}` in the ASL text with its substitution, as Step Functions does at
 * deployment. Throws on a placeholder with no substitution (CloudFormation would leave it in).
 */
export function substitute(text: string, substitutions: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`the ASL uses \${${name}} but the stack substitutes only ${Object.keys(substitutions).join(', ')}`);
    return value;
  });
}

// Distributed Map fields that asl-validator 4 does not check (it accepts any ItemBatcher,
// ItemReader, ReaderConfig and ResultWriter keys, any InputType and any Resource there).
const FIELDS: Record<string, readonly string[]> = {
  ItemReader: ['Resource', 'ReaderConfig', 'Parameters', 'Arguments'],
  ReaderConfig: ['InputType', 'CSVHeaderLocation', 'CSVHeaders', 'CSVDelimiter', 'MaxItems', 'MaxItemsPath', 'Transformation', 'ManifestType'],
  ItemBatcher: ['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath', 'BatchInput'],
  ResultWriter: ['Resource', 'Parameters', 'Arguments', 'WriterConfig'],
};
const INPUT_TYPES = ['CSV', 'JSON', 'JSONL', 'MANIFEST', 'PARQUET'];
const ITEM_READER_RESOURCES = /^arn:aws[a-z-]*:states:::s3:(getObject|listObjectsV2)$/;
const RESULT_WRITER_RESOURCES = /^arn:aws[a-z-]*:states:::s3:putObject$/;

/** Misspelt or unknown distributed Map fields, bad InputType, unknown reader/writer Resource. */
export function distributedMapFieldProblems(definition: { States: States }): string[] {
  const problems: string[] = [];
  const unknownKeys = (where: string, kind: string, value: unknown) => {
    if (value === undefined) return;
    for (const key of Object.keys(value as object)) if (!FIELDS[kind].includes(key)) problems.push(`${where}.${kind}: unknown field ${key}`);
  };
  walk(definition.States, '', (statePath, state) => {
    if (state.Type !== 'Map') return;
    const reader = state.ItemReader as Record<string, unknown> | undefined;
    unknownKeys(statePath, 'ItemReader', reader);
    unknownKeys(statePath, 'ReaderConfig', reader?.ReaderConfig);
    unknownKeys(statePath, 'ItemBatcher', state.ItemBatcher);
    unknownKeys(statePath, 'ResultWriter', state.ResultWriter);
    const inputType = (reader?.ReaderConfig as { InputType?: string } | undefined)?.InputType;
    if (inputType !== undefined && !INPUT_TYPES.includes(inputType)) problems.push(`${statePath}.ItemReader.ReaderConfig.InputType: ${inputType} is not one of ${INPUT_TYPES.join(', ')}`);
    if (reader && !ITEM_READER_RESOURCES.test(String(reader.Resource))) problems.push(`${statePath}.ItemReader.Resource: ${String(reader.Resource)} is not an S3 reader`);
    const writer = state.ResultWriter as Record<string, unknown> | undefined;
    if (writer && !RESULT_WRITER_RESOURCES.test(String(writer.Resource))) problems.push(`${statePath}.ResultWriter.Resource: ${String(writer.Resource)} is not s3:putObject`);
  });
  return problems;
}
