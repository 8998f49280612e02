import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StatesError } from '../errors';
import { resolvePayloadTemplate, type ContextObject } from '../jsonPath';
import type { AslState } from '../types';

/** Where a ResultWriter exports: `<Prefix>/<mapRunId>/...` in `Bucket`. */
export interface ResultWriterTarget {
  readonly bucket: string;
  readonly prefix: string;
}

/** What the Map state returns when it exports its results. */
export interface ResultWriterOutput {
  readonly MapRunArn: string;
  readonly ResultWriterDetails: { readonly Bucket: string; readonly Key: string };
}

export type ResultFileStatus = 'SUCCEEDED' | 'FAILED' | 'PENDING';

function writerFailed(cause: string): StatesError {
  return new StatesError('States.ResultWriterFailed', cause);
}

/** Resolves `ResultWriter.Parameters` (static or `.$`) against the Map's effective input. */
export function resolveResultWriterTarget(stateName: string, state: AslState, input: unknown, context: ContextObject): ResultWriterTarget {
  const writer = state.ResultWriter as { Parameters?: unknown };
  const { Bucket, Prefix } = resolvePayloadTemplate(writer.Parameters ?? {}, input, context, stateName) as Record<string, unknown>;
  if (typeof Bucket !== 'string' || (Prefix !== undefined && typeof Prefix !== 'string')) {
    throw writerFailed(`ResultWriter.Parameters must resolve Bucket (and Prefix) to strings, got ${JSON.stringify({ Bucket, Prefix })}`);
  }
  return { bucket: Bucket, prefix: Prefix ?? '' };
}

/**
 * Exports a Map Run like Step Functions does: one `<STATUS>_0.json` JSON array per status that has
 * children, then `manifest.json` listing them (`DestinationBucket`, `MapRunArn`,
 * `ResultFiles.{FAILED,PENDING,SUCCEEDED}[{Key,Size}]`). S3 failures are `States.ResultWriterFailed`.
 */
export async function writeResults(
  s3: S3Client,
  target: ResultWriterTarget,
  mapRunId: string,
  mapRunArn: string,
  entries: Readonly<Record<ResultFileStatus, readonly unknown[]>>,
): Promise<ResultWriterOutput> {
  const prefix = target.prefix.replace(/\/+$/, '');
  const folder = `${prefix === '' ? '' : `${prefix}/`}${mapRunId}/`;
  const put = async (key: string, body: string): Promise<number> => {
    try {
      await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body, ContentType: 'application/json' }));
    } catch (error) {
      throw writerFailed(`Could not write s3://${target.bucket}/${key}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    return Buffer.byteLength(body, 'utf8');
  };
  const resultFiles: Record<ResultFileStatus, { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const status of ['FAILED', 'PENDING', 'SUCCEEDED'] as const) {
    if (entries[status].length === 0) continue;
    const key = `${folder}${status}_0.json`;
    resultFiles[status].push({ Key: key, Size: await put(key, JSON.stringify(entries[status])) });
  }
  const manifestKey = `${folder}manifest.json`;
  await put(manifestKey, JSON.stringify({ DestinationBucket: target.bucket, MapRunArn: mapRunArn, ResultFiles: resultFiles }));
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: target.bucket, Key: manifestKey } };
}
