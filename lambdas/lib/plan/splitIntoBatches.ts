import type { Readable } from 'node:stream';

export interface LineRange {
  readonly byteStart: number;
  readonly byteEnd: number;
  readonly firstLine: number;
  readonly records: number;
}

const NEWLINE = 0x0a;

function isBlankByte(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d;
}

/** How big a range may get: `batchSize` records, and `maxBatchBytes` bytes. */
export interface BatchLimits {
  readonly batchSize: number;
  readonly maxBatchBytes: number;
}

/**
 * Streams an object's bytes and cuts it into ranges of at most `batchSize` records (non-blank lines)
 * and at most `maxBatchBytes` bytes, each ending at a line end: a range is cut before a line that
 * would make it longer. A single line longer than `maxBatchBytes` gets a range of its own. Blank
 * lines ride along in whatever range holds them. One pass, constant work per byte.
 * @example
 *   const ranges = await splitIntoBatches(body, { batchSize: 2_000, maxBatchBytes: 64 * 2 ** 20 });
 */
export async function splitIntoBatches(body: Readable | AsyncIterable<Uint8Array>, limits: BatchLimits): Promise<LineRange[]> {
  const { batchSize, maxBatchBytes } = limits;
  const ranges: LineRange[] = [];
  let offset = 0; // absolute offset of the current chunk's first byte
  let rangeStart = 0;
  let rangeFirstLine = 1;
  let rangeRecords = 0;
  let lineNumber = 1; // line being read
  let lineHasContent = false;
  let lastLineEnd = -1; // offset of the newline that ended the previous line

  // Before a line is counted in: cut the range at the previous line end when this line (ending at
  // `endOffset`) would take it past maxBatchBytes, unless the range holds no record yet.
  const cutBeforeIfTooLong = (endOffset: number) => {
    if (rangeRecords === 0 || endOffset - rangeStart + 1 <= maxBatchBytes) return;
    ranges.push({ byteStart: rangeStart, byteEnd: lastLineEnd, firstLine: rangeFirstLine, records: rangeRecords });
    rangeStart = lastLineEnd + 1;
    rangeFirstLine = lineNumber;
    rangeRecords = 0;
  };

  const endLine = (endOffset: number) => {
    cutBeforeIfTooLong(endOffset);
    lastLineEnd = endOffset;
    if (lineHasContent) rangeRecords += 1;
    lineHasContent = false;
    lineNumber += 1;
    if (rangeRecords === batchSize) {
      ranges.push({ byteStart: rangeStart, byteEnd: endOffset, firstLine: rangeFirstLine, records: rangeRecords });
      rangeStart = endOffset + 1;
      rangeFirstLine = lineNumber;
      rangeRecords = 0;
    }
  };

  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    let pos = 0;
    while (pos < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, pos);
      const lineEnd = newline === -1 ? bytes.length : newline;
      if (!lineHasContent) {
        for (let i = pos; i < lineEnd; i++) {
          if (!isBlankByte(bytes[i]!)) {
            lineHasContent = true;
            break;
          }
        }
      }
      if (newline === -1) break;
      endLine(offset + newline);
      pos = newline + 1;
    }
    offset += bytes.length;
  }
  // A last line without a trailing newline.
  if (offset - 1 > lastLineEnd) {
    cutBeforeIfTooLong(offset - 1);
    if (lineHasContent) rangeRecords += 1;
  }
  if (rangeRecords > 0) ranges.push({ byteStart: rangeStart, byteEnd: offset - 1, firstLine: rangeFirstLine, records: rangeRecords });
  return ranges;
}
