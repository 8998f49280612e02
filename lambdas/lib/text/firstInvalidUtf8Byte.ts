/**
 * Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. Strict as
 * `new TextDecoder('utf-8', { fatal: true })`, which only says that a text is bad, not where.
 * @example
 *   firstInvalidUtf8Byte(new Uint8Array([0x7b, 0xff])); // 1
 */
export function firstInvalidUtf8Byte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const lead = b[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range excludes overlong forms, UTF-16 surrogates and code points above U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const byte = b[i + k];
      if (byte === undefined) return i;
      if (k === 1 ? byte < low || byte > high : (byte & 0xc0) !== 0x80) return i + k;
    }
    i += length;
  }
  return -1;
}
