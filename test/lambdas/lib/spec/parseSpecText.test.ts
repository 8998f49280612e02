import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidSpecError, parseSpecText, SpecTextError } from '../../../../lambdas/lib/spec';
import { firstInvalidUtf8Byte } from '../../../../lambdas/lib/text/firstInvalidUtf8Byte';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function refusalOf(bytes: Uint8Array): Error {
  try {
    parseSpecText(bytes);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

const problemsOf = (bytes: Uint8Array) => {
  const error = refusalOf(bytes);
  expect(error).toBeInstanceOf(InvalidSpecError);
  return (error as InvalidSpecError).problems;
};

/** True when the text holds only printable ASCII and newlines: nothing of a binary file leaks into it. */
const isPlainText = (text: string): boolean => /^[\x20-\x7e\n]*$/.test(text);

describe('parseSpecText', () => {
  describe('reads valid JSON exactly as JSON.parse does', () => {
    const samples = [
      readFileSync(join(__dirname, '../../../../examples/orders-spec.json'), 'utf8'),
      '{"a":[1,-2.5,3e2,0,-0,1E-2,{"b":[]}],"c":{},"d":[true,false,null]}',
      '  {"esc":"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00","raw":"é 😀 日本"}\n',
      '{"__proto__":{"polluted":true},"constructor":1}',
      '"just a string"',
      '[]',
      '9007199254740991',
    ];
    it.each(samples)('%s', (text) => {
      const parsed = parseSpecText(utf8(text));
      expect(parsed).toEqual(JSON.parse(text));
      expect(JSON.stringify(parsed)).toBe(JSON.stringify(JSON.parse(text)));
    });

    it('keeps a "__proto__" key a plain field (no prototype change)', () => {
      const parsed = parseSpecText(utf8('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('ignores a UTF-8 byte order mark', () => {
      expect(parseSpecText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"a":1}')]))).toEqual({ a: 1 });
    });
  });

  describe('refuses a key given twice in one object, naming its path and both values', () => {
    it('at the top level: {"mode":"dry-run", …, "mode":"apply"} is not applied', () => {
      expect(problemsOf(utf8('{"mode":"dry-run","jobName":"j","mode":"apply"}'))).toEqual([
        { field: 'spec.mode', message: 'is given twice in one object: first "dry-run", then "apply"; keep one' },
      ]);
    });

    it('anywhere in the tree, every one of them', () => {
      const text = '{"source":{"bucket":"a","prefix":"p/","bucket":"b"},"list":[{"x":1,"x":{"deep":true}}],"odd key":1,"odd key":2}';
      expect(problemsOf(utf8(text))).toEqual([
        { field: 'spec.source.bucket', message: 'is given twice in one object: first "a", then "b"; keep one' },
        { field: 'spec.list[0].x', message: 'is given twice in one object: first 1, then {"deep":true}; keep one' },
        { field: 'spec["odd key"]', message: 'is given twice in one object: first 1, then 2; keep one' },
      ]);
    });

    it('but allows the same key in different objects', () => {
      expect(parseSpecText(utf8('{"a":{"k":1},"b":{"k":2}}'))).toEqual({ a: { k: 1 }, b: { k: 2 } });
    });
  });

  describe('refuses an integer beyond 2^53-1, which JSON.parse rounds', () => {
    it.each(['9007199254740993', '-9007199254740993', '123456789012345678901234567890'])('%s', (digits) => {
      expect(problemsOf(utf8(`{"batchSize":${digits}}`))).toEqual([
        { field: 'spec.batchSize', message: `${digits} exceeds 2^53-1 (9007199254740991) and cannot be represented exactly` },
      ]);
    });
  });

  describe('refuses text that is not JSON, saying where', () => {
    const cases: Array<[string, string, string]> = [
      ['a trailing comma', '{"a":1,}', "expected a key in double quotes, found '}' at line 1, column 8"],
      ['single quotes', "{'a':1}", "expected a key in double quotes, found ''' at line 1, column 2"],
      ['a comment', '{"a":1 // no\n}', "expected ',' or '}' after spec.a, found '/' at line 1, column 8"],
      ['a leading zero', '{"a":01}', 'malformed number'],
      ['NaN', '{"a":NaN}', "expected a value, found 'N' at line 1, column 6"],
      ['text after the value', '{"a":1} {"b":2}', "unexpected '{' after the JSON value at line 1, column 9"],
      ['an unterminated string', '{"a":"open', 'the text ends inside a string'],
      ['a raw control character in a string', '{"a":"tab\there"}', 'the control character U+0009 must be escaped inside a string at line 1, column 10'],
      ['a bad escape', '{"a":"\\x41"}', "invalid escape \\'x' in a string"],
      ['nothing at all', '   ', 'expected a value, found the end of the text at line 1, column 4'],
      ['a second line', '{\n  "a": tru\n}', "expected a value, found 't' at line 2, column 8"],
    ];
    it.each(cases)('%s', (_case, text, message) => {
      const error = refusalOf(utf8(text));
      expect(error).toBeInstanceOf(SpecTextError);
      expect(error.message).toContain('not valid JSON: ');
      expect(error.message).toContain(message);
    });

    it('refuses nesting deeper than 256 levels without exhausting the stack', () => {
      const error = refusalOf(utf8(`${'['.repeat(100_000)}${']'.repeat(100_000)}`));
      expect(error).toBeInstanceOf(SpecTextError);
      expect(error.message).toContain('nested deeper than 256 levels');
    });
  });

  describe('refuses bytes that are not UTF-8, naming the first bad byte and echoing none', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const cases: Array<[string, Uint8Array, number]> = [
      ['a PNG file', png, 0],
      ['\\xff\\xfe inside a string', new Uint8Array([...utf8('{"a":"x'), 0xff, 0xfe, ...utf8('"}')]), 7],
      ['an overlong encoding of "/"', new Uint8Array([...utf8('{"a":"'), 0xc0, 0xaf, ...utf8('"}')]), 6],
      ['an encoded UTF-16 surrogate', new Uint8Array([...utf8('["'), 0xed, 0xa0, 0x80, ...utf8('"]')]), 2],
      ['a truncated sequence at the end', new Uint8Array([...utf8('"é'), 0xc3]), 3],
      ['a code point above U+10FFFF', new Uint8Array([0xf4, 0x90, 0x80, 0x80]), 0],
      // The reviewer's `head -c 300 /bin/ls`: the lead byte 0xd0 at 24, not the ASCII "a" after it.
      ['a lead byte followed by an ASCII letter (an ELF header)', new Uint8Array([0x7f, ...utf8('ELF'), ...new Array<number>(20).fill(0x00), 0xd0, 0x61, 0x00]), 24],
    ];
    it.each(cases)('%s', (_case, bytes, offset) => {
      const error = refusalOf(bytes);
      expect(error).toBeInstanceOf(SpecTextError);
      expect(error.message).toBe(`not a UTF-8 JSON text, first bad byte at offset ${offset} (0x${bytes[offset]!.toString(16).padStart(2, '0')})`);
      expect(firstInvalidUtf8Byte(bytes)).toBe(offset);
    });

    it('describes control bytes in otherwise valid UTF-8 by code point, not raw', () => {
      const error = refusalOf(new Uint8Array([0x00, 0x01, 0x7b]));
      expect(error.message).toBe('not valid JSON: expected a value, found U+0000 at line 1, column 1');
      expect(isPlainText(error.message)).toBe(true);
    });

    it('agrees with a strict TextDecoder on every 2-byte sequence, and names the first byte of an invalid one', () => {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      for (let a = 0x80; a <= 0xff; a++) {
        for (const b of [0x00, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xff]) {
          const bytes = new Uint8Array([a, b]);
          let valid = true;
          try {
            decoder.decode(bytes);
          } catch {
            valid = false;
          }
          // an invalid pair is always ill-formed from its first byte (both a lead or a stray byte)
          expect([a, b, firstInvalidUtf8Byte(bytes)]).toEqual([a, b, valid ? -1 : 0]);
        }
      }
    });
  });
});
