import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StatesError, statesRuntimeError } from '../errors';
import { queryPath, resolvePayloadTemplate, type ContextObject } from '../jsonPath';
import type { AslState } from '../types';
import { readNumberField } from './mapRunConfig';

interface ItemReader {
  readonly ReaderConfig: { readonly InputType: 'JSON' | 'JSONL'; readonly [field: string]: unknown };
  readonly Parameters?: unknown;
}

function readerFailed(cause: string): StatesError {
  return new StatesError('States.ItemReaderFailed', cause);
}

/**
 * The items a distributed Map iterates over, in order:
 * - with an `ItemReader` (`s3:getObject`): the object's JSON array (`InputType: JSON`) or its lines,
 *   one JSON value each, blank lines skipped (`JSONL`). `Parameters` resolve against the Map's
 *   effective input and `$$`. Read or parse failures are `States.ItemReaderFailed`.
 *   `ReaderConfig.MaxItems(Path)` keeps only the first N items.
 * - without one: the array at `ItemsPath` (default `$`) of the effective input.
 */
export async function readItems(stateName: string, state: AslState, input: unknown, context: ContextObject, s3: S3Client): Promise<unknown[]> {
  const reader = state.ItemReader as ItemReader | undefined;
  if (!reader) {
    const itemsPath = typeof state.ItemsPath === 'string' ? state.ItemsPath : '$';
    const items = queryPath(itemsPath, input, context, 'ItemsPath');
    if (!Array.isArray(items)) throw statesRuntimeError(`ItemsPath ${itemsPath} must select an array, got ${typeof items}`);
    return items;
  }
  const parameters = resolvePayloadTemplate(reader.Parameters ?? {}, input, context, stateName) as Record<string, unknown>;
  const { Bucket, Key, VersionId } = parameters;
  if (typeof Bucket !== 'string' || typeof Key !== 'string') {
    throw readerFailed(`ItemReader.Parameters must resolve Bucket and Key to strings, got ${JSON.stringify({ Bucket, Key })}`);
  }
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket, Key, ...(typeof VersionId === 'string' ? { VersionId } : {}) }));
    text = (await object.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    throw readerFailed(`Could not read s3://${Bucket}/${Key}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  const items = reader.ReaderConfig.InputType === 'JSONL' ? parseJsonLines(text, Bucket, Key) : parseJsonArray(text, Bucket, Key);
  const maxItems = readNumberField(reader.ReaderConfig, 'MaxItems', input, context, { min: 1, max: 100_000_000, integer: true });
  return maxItems === undefined ? items : items.slice(0, maxItems);
}

function parseJsonLines(text: string, bucket: string, key: string): unknown[] {
  const items: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch {
      throw readerFailed(`s3://${bucket}/${key} line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
    }
  }
  return items;
}

function parseJsonArray(text: string, bucket: string, key: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw readerFailed(`s3://${bucket}/${key} is not JSON`);
  }
  if (!Array.isArray(value)) throw readerFailed(`s3://${bucket}/${key} must hold a JSON array, got ${typeof value}`);
  return value;
}
