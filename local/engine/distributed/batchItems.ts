import { statesRuntimeError } from '../errors';
import { resolvePayloadTemplate, type ContextObject } from '../jsonPath';
import { jsonBytes } from '../payloadSize';
import type { AslState } from '../types';
import { readNumberField } from './mapRunConfig';

/** Step Functions' payload quota, also the ceiling of MaxInputBytesPerBatch. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** The input of one child execution and how many items it carries. */
export interface ChildInput {
  readonly input: unknown;
  readonly itemCount: number;
}

/**
 * Turns the items into child inputs:
 * 1. `ItemSelector` (or legacy `Parameters`) is applied to each item, with `$` the Map's effective
 *    input and `$$.Map.Item.Index` / `$$.Map.Item.Value` the item;
 * 2. without `ItemBatcher` each selected item is one child input;
 * 3. with it, consecutive items are grouped into `{ "Items": [...], "BatchInput": {...} }`
 *    (`BatchInput` only when declared, resolved once against the Map input), closing a batch
 *    before it would exceed `MaxItemsPerBatch(Path)` items or `MaxInputBytesPerBatch(Path)` bytes
 *    (UTF-8 JSON size of the whole child input). One item alone over the byte limit is a
 *    `States.Runtime` error.
 */
export function buildChildInputs(stateName: string, state: AslState, items: readonly unknown[], input: unknown, context: ContextObject): ChildInput[] {
  const selector = state.ItemSelector ?? state.Parameters;
  const selected =
    selector === undefined
      ? items
      : items.map((value, index) => resolvePayloadTemplate(selector, input, { ...context, Map: { Item: { Index: index, Value: value } } }, stateName));
  const batcher = state.ItemBatcher as Readonly<Record<string, unknown>> | undefined;
  if (!batcher) return selected.map((item) => ({ input: item, itemCount: 1 }));

  const maxItems = readNumberField(batcher, 'MaxItemsPerBatch', input, context, { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }) ?? Infinity;
  const maxBytes = readNumberField(batcher, 'MaxInputBytesPerBatch', input, context, { min: 1, max: MAX_PAYLOAD_BYTES, integer: true }) ?? MAX_PAYLOAD_BYTES;
  const batchInput = batcher.BatchInput === undefined ? undefined : resolvePayloadTemplate(batcher.BatchInput, input, context, stateName);
  const envelope = (batchItems: unknown[]) => (batchInput === undefined ? { Items: batchItems } : { Items: batchItems, BatchInput: batchInput });
  // JSON.stringify adds no whitespace, so a batch's size is the empty envelope plus each item plus one comma between items.
  const emptyBytes = jsonBytes(envelope([]));

  const batches: ChildInput[] = [];
  let current: unknown[] = [];
  let currentBytes = emptyBytes;
  selected.forEach((item, index) => {
    const itemBytes = jsonBytes(item);
    if (emptyBytes + itemBytes > maxBytes) {
      throw statesRuntimeError(`Item ${index} is ${itemBytes} bytes; with the batch envelope it exceeds MaxInputBytesPerBatch (${maxBytes} bytes)`);
    }
    const bytesIfAdded = currentBytes + itemBytes + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (current.length >= maxItems || bytesIfAdded > maxBytes)) {
      batches.push({ input: envelope(current), itemCount: current.length });
      current = [];
      currentBytes = emptyBytes;
    }
    currentBytes += itemBytes + (current.length > 0 ? 1 : 0);
    current.push(item);
  });
  if (current.length > 0) batches.push({ input: envelope(current), itemCount: current.length });
  return batches;
}
