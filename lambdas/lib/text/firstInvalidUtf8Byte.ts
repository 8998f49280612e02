/**
 * Offset where the first ill-formed UTF-8 sequence starts, or -1. Strict as
 * `new TextDecoder('utf-8', { fatal: true })`, which only says that a text is bad, not where.
 *
 * The offset is that of the sequence's first byte (the lead byte of a truncated, overlong,
 * surrogate or out-of-range sequence; a stray byte itself), as Unicode's and WHATWG's "maximal
 * subpart" count it. Why not the byte that breaks the sequence: that byte is often plain ASCII
 * (0xd0 then "a"), and a message naming "a" as the bad byte points at a good one.
 * @example
 *   firstInvalidUtf8Byte(new Uint8Array([0x7b, 0xff])); // 1
 *   firstInvalidUtf8Byte(new Uint8Array([0x7b, 0xd0, 0x61])); // 1: the lead byte, not the "a"
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
      if (byte === undefined || (k === 1 ? byte < low || byte > high : (byte & 0xc0) !== 0x80)) return i;
    }
    i += length;
  }
  return -1;
}
