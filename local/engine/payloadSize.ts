/** UTF-8 byte size of a value serialised as JSON, the measure Step Functions' 256 KiB payload quota uses. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}
