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

/**
 * Streams an object's bytes and cuts it into ranges of `batchSize` records (non-blank lines),
 * each ending at a line end. Blank lines ride along in whatever range holds them.
 */
export async function splitIntoBatches(body: Readable | AsyncIterable<Uint8Array>, batchSize: number): Promise<LineRange[]> {
  const ranges: LineRange[] = [];
  let offset = 0; // absolute offset of the current chunk's first byte
  let rangeStart = 0;
  let rangeFirstLine = 1;
  let rangeRecords = 0;
  let lineNumber = 1; // line being read
  let lineHasContent = false;
  let sawAnyByte = false;

  const endLine = (endOffset: number) => {
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
    sawAnyByte ||= bytes.length > 0;
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
  if (sawAnyByte && lineHasContent) {
    rangeRecords += 1;
  }
  if (rangeRecords > 0) ranges.push({ byteStart: rangeStart, byteEnd: offset - 1, firstLine: rangeFirstLine, records: rangeRecords });
  return ranges;
}
