import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ManifestItem } from '../plan';
import { SourceChangedError } from './errors';

export interface SourceLine {
  /** 1-based line number within the source object. */
  readonly line: number;
  readonly text: string;
}

/** Reads one batch's byte range and returns its non-blank lines with their line numbers. */
export async function readBatchLines(s3: S3Client, item: ManifestItem, runId: string): Promise<SourceLine[]> {
  const response = await s3.send(new GetObjectCommand({ Bucket: item.bucket, Key: item.key, Range: `bytes=${item.byteStart}-${item.byteEnd}` }));
  if (response.ETag && response.ETag !== item.etag) throw new SourceChangedError(runId, item.batchId, item.key, item.etag, response.ETag);
  const body = await response.Body!.transformToString('utf8');
  const lines: SourceLine[] = [];
  let lineNumber = item.firstLine;
  for (const raw of body.split('\n')) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // The same blank rule as the planner (splitIntoBatches): only space, tab and CR, so every line
    // the plan counted as a record is read as one.
    if (!/^[ \t\r]*$/.test(text)) lines.push({ line: lineNumber, text });
    lineNumber += 1;
  }
  return lines;
}
