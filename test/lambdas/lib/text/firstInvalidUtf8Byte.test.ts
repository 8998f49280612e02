import { firstInvalidUtf8Byte } from '../../../../lambdas/lib/text/firstInvalidUtf8Byte';

describe('firstInvalidUtf8Byte', () => {
  // The offset is where the ill-formed sequence starts (its lead byte: the "maximal subpart" of
  // Unicode and WHATWG), not the byte after it that breaks it, which may be plain ASCII.
  it.each<[string, number[], number]>([
    ['ASCII and multi-byte text', [...Buffer.from('{"n":"é€😀"}')], -1],
    ['a lone 0xff', [0x61, 0xff, 0xfe], 1],
    ['a continuation byte without a lead', [0x61, 0x80], 1],
    ['a sequence cut short at the end', [0x61, 0xe2, 0x82], 1],
    ['a two-byte lead followed by an ASCII letter (head -c 300 /bin/ls: 0xd0 0x61 at 24)', [0x7f, 0x45, 0x4c, 0x46, 0xd0, 0x61, 0x00], 4],
    ['a three-byte sequence broken by ASCII after its second byte', [0x61, 0xe2, 0x82, 0x41], 1],
    ['a four-byte sequence broken at its last byte', [0xf0, 0x9f, 0x98, 0x28], 0],
    ['an overlong two-byte form', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('%s', (_, bytes, expected) => {
    expect(firstInvalidUtf8Byte(Uint8Array.from(bytes))).toBe(expected);
    // agrees with the platform's strict decoder on whether the bytes are valid
    let valid = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      valid = false;
    }
    expect(valid).toBe(expected === -1);
  });
});
