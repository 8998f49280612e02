import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ManifestItem } from '../plan';
import { SourceChangedError } from './errors';
import { firstInvalidUtf8Byte } from '../text/firstInvalidUtf8Byte';
import { RAW_LIMIT, type MalformedRecord } from './parseRecords';

export interface SourceLine {
  /** 1-based line number within the source object. */
  readonly line: number;
  readonly text: string;
}

/** A batch's records as read: decoded lines, and lines quarantined before decoding (too long, not UTF-8). */
export interface BatchLines {
  readonly lines: SourceLine[];
  readonly unreadable: MalformedRecord[];
}

const NEWLINE = 0x0a;
const CR = 0x0d;
// fatal: a bad byte is an error, not a silent U+FFFD; ignoreBOM: a BOM stays in the text (and fails JSON), as before.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The same blank rule as the planner (splitIntoBatches): only space, tab and CR. */
const isBlankByte = (byte: number): boolean => byte === 0x20 || byte === 0x09 || byte === CR;

/**
 * Reads one batch's byte range and returns its non-blank lines with their line numbers (counted as
 * the planner counts them). Each line is decoded on its own, strictly: a line that is not UTF-8 is
 * quarantined with the offset of its first bad byte, and a line longer than `maxRecordBytes` is
 * quarantined with its size, without ever being held whole or decoded. The other lines proceed.
 * @example
 *   const { lines, unreadable } = await readBatchLines(s3, manifestItem, runId, { maxRecordBytes: 1_048_576 });
 */
export async function readBatchLines(s3: S3Client, item: ManifestItem, runId: string, limits: { maxRecordBytes: number }): Promise<BatchLines> {
  const response = await s3.send(new GetObjectCommand({ Bucket: item.bucket, Key: item.key, Range: `bytes=${item.byteStart}-${item.byteEnd}` }));
  if (response.ETag && response.ETag !== item.etag) throw new SourceChangedError(runId, item.batchId, item.key, item.etag, response.ETag);
  const lines: SourceLine[] = [];
  const unreadable: MalformedRecord[] = [];
  let lineNumber = item.firstLine;
  let parts: Uint8Array[] = [];
  let length = 0;
  let hasContent = false;
  let oversized = false;

  const take = (piece: Uint8Array) => {
    if (!hasContent) hasContent = piece.some((byte) => !isBlankByte(byte));
    length += piece.length;
    if (oversized) return;
    parts.push(piece);
    if (length <= limits.maxRecordBytes) return;
    // Keep a preview for the quarantine only, never the whole line.
    oversized = true;
    parts = [Buffer.concat(parts).subarray(0, RAW_LIMIT)];
  };
  const endLine = () => {
    const line = { number: lineNumber, parts, length, oversized, hasContent };
    lineNumber += 1;
    parts = [];
    length = 0;
    hasContent = false;
    oversized = false;
    if (line.hasContent) judge(line.number, Buffer.concat(line.parts), line.length, line.oversized);
  };
  const judge = (line: number, bytes: Buffer, size: number, tooLong: boolean) => {
    if (tooLong) {
      unreadable.push({ line, reason: `line is ${size} bytes, longer than maxRecordBytes ${limits.maxRecordBytes}; split the record or raise maxRecordBytes in the spec`, raw: preview(bytes) });
      return;
    }
    const text = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, -1) : bytes;
    try {
      lines.push({ line, text: strictUtf8.decode(text) });
    } catch {
      const offset = firstInvalidUtf8Byte(text);
      const where = offset === -1 ? '' : ` at byte offset ${offset} of the line (0x${text[offset]!.toString(16).padStart(2, '0')})`;
      unreadable.push({ line, reason: `not valid UTF-8${where}; fix the encoding of the source (it must be UTF-8)`, raw: preview(text) });
    }
  };

  for await (const chunk of response.Body as AsyncIterable<Uint8Array>) {
    let pos = 0;
    while (pos < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, pos);
      take(chunk.subarray(pos, newline === -1 ? chunk.length : newline));
      if (newline === -1) break;
      endLine();
      pos = newline + 1;
    }
  }
  // A last line without a trailing newline.
  if (length > 0) endLine();
  return { lines, unreadable };
}

/** The start of a line for the quarantine, bad bytes shown as U+FFFD. */
const preview = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, RAW_LIMIT)).toString('utf8');
