import { Readable } from 'node:stream';
import { splitIntoBatches, type LineRange } from '../../../../lambdas/lib/plan';

/** Feeds `bytes` as the given chunks (lengths), as a Node stream of Buffers. */
function streamOf(bytes: Buffer, chunkLengths: readonly number[]): Readable {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const length of chunkLengths) {
    chunks.push(bytes.subarray(at, at + length));
    at += length;
  }
  if (at < bytes.length) chunks.push(bytes.subarray(at));
  return Readable.from(chunks);
}

/** Every chunking worth trying: one chunk, fixed sizes 1..n, and every two-way split (incl. empty chunks). */
function chunkingsOf(length: number): number[][] {
  const chunkings: number[][] = [[length]];
  for (let size = 1; size <= length; size++) chunkings.push(Array.from({ length: Math.ceil(length / size) }, () => size));
  for (let cut = 0; cut <= length; cut++) chunkings.push([cut, 0, length - cut]);
  return chunkings;
}

/** Limits with no byte limit to speak of. */
const records = (batchSize: number) => ({ batchSize, maxBatchBytes: Number.MAX_SAFE_INTEGER });

/**
 * A plain restatement of the rule, over the whole text: ranges of `batchSize` non-blank lines, cut
 * at line ends, and cut before a line that would take a range holding a record past `maxBatchBytes`.
 */
function referenceRanges(bytes: Buffer, batchSize: number, maxBatchBytes = Number.MAX_SAFE_INTEGER): LineRange[] {
  const ranges: LineRange[] = [];
  let start = 0;
  let firstLine = 1;
  let records = 0;
  let lineStart = 0;
  let line = 1;
  let previousEnd = -1;
  while (lineStart < bytes.length) {
    const newline = bytes.indexOf(0x0a, lineStart);
    const lineEnd = newline === -1 ? bytes.length : newline; // exclusive
    const lastByte = newline === -1 ? bytes.length - 1 : newline;
    if (records > 0 && lastByte - start + 1 > maxBatchBytes) {
      ranges.push({ byteStart: start, byteEnd: previousEnd, firstLine, records });
      start = previousEnd + 1;
      firstLine = line;
      records = 0;
    }
    if ([...bytes.subarray(lineStart, lineEnd)].some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d)) records += 1;
    if (records === batchSize || (newline === -1 && records > 0)) {
      ranges.push({ byteStart: start, byteEnd: newline === -1 ? bytes.length - 1 : newline, firstLine, records });
      start = lineEnd + 1;
      firstLine = line + 1;
      records = 0;
    }
    previousEnd = lastByte;
    lineStart = lineEnd + 1;
    line += 1;
  }
  if (records > 0) ranges.push({ byteStart: start, byteEnd: bytes.length - 1, firstLine, records });
  return ranges;
}

/** Deterministic pseudo-random lines: records, blank lines, CRLF, whitespace-only, multi-byte text. */
function generatedText(seed: number, lines: number): string {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const kinds = ['{"id":1}\n', '\n', '  \t\n', '{"note":"crème brûlée €"}\r\n', '\r\n', '{"id":22,"v":[1,2,3]}\n'];
  let text = '';
  for (let i = 0; i < lines; i++) text += kinds[Math.floor(next() * kinds.length)];
  return next() < 0.5 ? text : text.replace(/\r?\n$/, ''); // sometimes no final newline
}

describe('splitIntoBatches', () => {
  // [case, text, batchSize, expected ranges]
  const cases: Array<[string, string, number, LineRange[]]> = [
    [
      'cuts full batches and a short last one',
      'a\nb\nc\n',
      2,
      [
        { byteStart: 0, byteEnd: 3, firstLine: 1, records: 2 },
        { byteStart: 4, byteEnd: 5, firstLine: 3, records: 1 },
      ],
    ],
    ['makes one range when the records fill exactly one batch', 'a\nb\n', 2, [{ byteStart: 0, byteEnd: 3, firstLine: 1, records: 2 }]],
    [
      'ends the last range at the last byte when the last line has no newline',
      'a\nb\nc',
      2,
      [
        { byteStart: 0, byteEnd: 3, firstLine: 1, records: 2 },
        { byteStart: 4, byteEnd: 4, firstLine: 3, records: 1 },
      ],
    ],
    [
      'does not count blank or whitespace-only lines, and keeps them inside the range',
      'a\n\n \t\nb\nc\n',
      2,
      [
        { byteStart: 0, byteEnd: 7, firstLine: 1, records: 2 },
        { byteStart: 8, byteEnd: 9, firstLine: 5, records: 1 },
      ],
    ],
    [
      'starts a range at the blank lines that follow a full batch',
      'a\n\n\nb\n',
      1,
      [
        { byteStart: 0, byteEnd: 1, firstLine: 1, records: 1 },
        { byteStart: 2, byteEnd: 5, firstLine: 2, records: 1 },
      ],
    ],
    [
      'treats CRLF line ends and CRLF-only lines like LF',
      'a\r\nb\r\n\r\nc\r\n',
      2,
      [
        { byteStart: 0, byteEnd: 5, firstLine: 1, records: 2 },
        { byteStart: 6, byteEnd: 10, firstLine: 3, records: 1 },
      ],
    ],
    ['drops trailing blank lines after the last full batch', 'a\nb\n\n\n', 2, [{ byteStart: 0, byteEnd: 3, firstLine: 1, records: 2 }]],
    ['keeps trailing blank lines in a short last batch', 'a\n\n\n', 2, [{ byteStart: 0, byteEnd: 3, firstLine: 1, records: 1 }]],
    ['counts leading blank lines into the first range', '\n\na\n', 1, [{ byteStart: 0, byteEnd: 3, firstLine: 1, records: 1 }]],
    [
      'measures multi-byte characters in bytes',
      'é\n€\n',
      1,
      [
        { byteStart: 0, byteEnd: 2, firstLine: 1, records: 1 },
        { byteStart: 3, byteEnd: 6, firstLine: 2, records: 1 },
      ],
    ],
    ['returns no range for an empty object', '', 3, []],
    ['returns no range for an object of blank lines only', '\n \n\r\n\t', 1, []],
  ];

  it.each(cases)('%s', async (_case, text, batchSize, expected) => {
    // GIVEN the same bytes fed in every chunking (boundaries inside lines, on newlines, inside CRLF and UTF-8)
    const bytes = Buffer.from(text, 'utf8');
    for (const chunking of chunkingsOf(bytes.length)) {
      // WHEN they are split
      const ranges = await splitIntoBatches(streamOf(bytes, chunking), records(batchSize));
      // THEN the ranges are exactly the expected ones, whatever the chunking
      expect({ chunking, ranges }).toEqual({ chunking, ranges: expected });
    }
    expect(referenceRanges(bytes, batchSize)).toEqual(expected);
  });

  it('accepts an async iterable of plain Uint8Arrays', async () => {
    async function* chunks() {
      yield new TextEncoder().encode('a\nb');
      yield new TextEncoder().encode('\nc\n');
    }
    expect(await splitIntoBatches(chunks(), records(2))).toEqual([
      { byteStart: 0, byteEnd: 3, firstLine: 1, records: 2 },
      { byteStart: 4, byteEnd: 5, firstLine: 3, records: 1 },
    ]);
  });

  it.each([1, 2, 3, 7])('agrees with a whole-text reference on generated files, in any chunking (batchSize %i)', async (batchSize) => {
    for (let seed = 1; seed <= 8; seed++) {
      // GIVEN a generated file of records, blank lines, CRLF and multi-byte text
      const bytes = Buffer.from(generatedText(seed * 31 + batchSize, 40), 'utf8');
      const expected = referenceRanges(bytes, batchSize);
      // WHEN it is split in several chunkings
      for (const size of [1, 2, 3, 5, 8, 13, 64, bytes.length]) {
        const ranges = await splitIntoBatches(streamOf(bytes, Array.from({ length: Math.ceil(bytes.length / size) }, () => size)), records(batchSize));
        // THEN the ranges match the reference, are contiguous, and each holds `records` non-blank lines
        expect(ranges).toEqual(expected);
      }
      for (let i = 1; i < expected.length; i++) expect(expected[i]!.byteStart).toBe(expected[i - 1]!.byteEnd + 1);
      for (const range of expected) {
        const slice = bytes.subarray(range.byteStart, range.byteEnd + 1).toString('utf8');
        expect(slice.split('\n').filter((l) => l.replace(/[ \t\r]/g, '') !== '').length).toBe(range.records);
      }
    }
  });

  // [case, text, batchSize, maxBatchBytes, expected ranges]
  const byteCases: Array<[string, string, number, number, LineRange[]]> = [
    [
      'cuts before a line that would take the range past maxBatchBytes',
      'aaa\nbbb\nccc\n',
      10,
      8,
      [
        { byteStart: 0, byteEnd: 7, firstLine: 1, records: 2 },
        { byteStart: 8, byteEnd: 11, firstLine: 3, records: 1 },
      ],
    ],
    [
      'gives a line longer than maxBatchBytes a range of its own',
      'a\nbbbbbbbbbb\nc\n',
      10,
      4,
      [
        { byteStart: 0, byteEnd: 1, firstLine: 1, records: 1 },
        { byteStart: 2, byteEnd: 12, firstLine: 2, records: 1 },
        { byteStart: 13, byteEnd: 14, firstLine: 3, records: 1 },
      ],
    ],
    ['cuts by records first when they come first', 'a\nb\nc\n', 2, 100, [{ byteStart: 0, byteEnd: 3, firstLine: 1, records: 2 }, { byteStart: 4, byteEnd: 5, firstLine: 3, records: 1 }]],
    ['leaves blank lines that would pass the limit to the next range', 'aa\n\n\n\nb\n', 10, 4, [{ byteStart: 0, byteEnd: 3, firstLine: 1, records: 1 }, { byteStart: 4, byteEnd: 7, firstLine: 3, records: 1 }]],
    ['drops trailing blank lines past the limit', 'aaa\n  ', 10, 4, [{ byteStart: 0, byteEnd: 3, firstLine: 1, records: 1 }]],
  ];

  it.each(byteCases)('%s', async (_case, text, batchSize, maxBatchBytes, expected) => {
    const bytes = Buffer.from(text, 'utf8');
    for (const chunking of chunkingsOf(bytes.length)) {
      const ranges = await splitIntoBatches(streamOf(bytes, chunking), { batchSize, maxBatchBytes });
      expect({ chunking, ranges }).toEqual({ chunking, ranges: expected });
    }
    expect(referenceRanges(bytes, batchSize, maxBatchBytes)).toEqual(expected);
  });

  it.each([16, 40, 100])('agrees with the reference on generated files under a byte limit, and no range holding two records passes it (maxBatchBytes %i)', async (maxBatchBytes) => {
    for (let seed = 1; seed <= 8; seed++) {
      const bytes = Buffer.from(generatedText(seed * 17 + maxBatchBytes, 60), 'utf8');
      const expected = referenceRanges(bytes, 5, maxBatchBytes);
      for (const size of [1, 3, 7, 64, bytes.length]) {
        expect(await splitIntoBatches(streamOf(bytes, Array.from({ length: Math.ceil(bytes.length / size) }, () => size)), { batchSize: 5, maxBatchBytes })).toEqual(expected);
      }
      for (const range of expected) if (range.records > 1) expect(range.byteEnd - range.byteStart + 1).toBeLessThanOrEqual(maxBatchBytes);
    }
  });
});
