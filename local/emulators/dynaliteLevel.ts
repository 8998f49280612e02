import { dirname } from 'node:path';

/** The `level` module dynalite itself uses, so the on-disk format and key encoding are the same. */
export function dynaliteLevel(): new (path: string, options: { valueEncoding: 'utf8' }) => {
  open(): Promise<void>;
  close(): Promise<void>;
  put(key: string, value: string): Promise<void>;
  iterator(options: { gte: string; lt: string }): AsyncIterable<[string, string]>;
  keys(): AsyncIterable<string>;
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(require.resolve('level', { paths: [dirname(require.resolve('dynalite'))] })) as { Level: ReturnType<typeof dynaliteLevel> }).Level;
}
