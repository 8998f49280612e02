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

/** A plain restatement of the rule, over the whole text: ranges of `batchSize` non-blank lines, cut at line ends. */
function referenceRanges(bytes: Buffer, batchSize: number): LineRange[] {
  const ranges: LineRange[] = [];
  let start = 0;
  let firstLine = 1;
  let records = 0;
  let lineStart = 0;
  let line = 1;
  while (lineStart < bytes.length) {
    const newline = bytes.indexOf(0x0a, lineStart);
    const lineEnd = newline === -1 ? bytes.length : newline; // exclusive
    if ([...bytes.subarray(lineStart, lineEnd)].some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d)) records += 1;
    if (records === batchSize || (newline === -1 && records > 0)) {
      ranges.push({ byteStart: start, byteEnd: newline === -1 ? bytes.length - 1 : newline, firstLine, records });
      start = lineEnd + 1;
      firstLine = line + 1;
      records = 0;
    }
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
      const ranges = await splitIntoBatches(streamOf(bytes, chunking), batchSize);
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
    expect(await splitIntoBatches(chunks(), 2)).toEqual([
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
        const ranges = await splitIntoBatches(streamOf(bytes, Array.from({ length: Math.ceil(bytes.length / size) }, () => size)), batchSize);
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
});
