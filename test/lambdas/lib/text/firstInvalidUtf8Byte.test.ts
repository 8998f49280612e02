import { firstInvalidUtf8Byte } from '../../../../lambdas/lib/text/firstInvalidUtf8Byte';

describe('firstInvalidUtf8Byte', () => {
  it.each<[string, number[], number]>([
    ['ASCII and multi-byte text', [...Buffer.from('{"n":"é€😀"}')], -1],
    ['a lone 0xff', [0x61, 0xff, 0xfe], 1],
    ['a continuation byte without a lead', [0x61, 0x80], 1],
    ['a sequence cut short at the end', [0x61, 0xe2, 0x82], 1],
    ['an overlong two-byte form', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 1],
    ['a UTF-16 surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 3],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 1],
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
