import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKeyFileError } from '../../../local/approvals/errors';
import { readOrCreateSigningKey, SIGNING_KEY_FILE } from '../../../local/approvals/signingKeyFile';

describe('readOrCreateSigningKey', () => {
  const root = mkdtempSync(join(tmpdir(), 'backfill-key-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes 32 random bytes, mode 0600, once; every later call reads the same key', () => {
    const dir = join(root, 'new');
    mkdirSync(dir);
    const path = join(dir, SIGNING_KEY_FILE);
    const made = readOrCreateSigningKey(path);
    expect(made).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readOrCreateSigningKey(path).equals(made)).toBe(true);
    // AND no temp file is left next to it
    expect(readdirSync(dir)).toEqual([SIGNING_KEY_FILE]);
    // AND another data dir gets another key
    const other = join(root, 'other');
    mkdirSync(other);
    expect(readOrCreateSigningKey(join(other, SIGNING_KEY_FILE)).equals(made)).toBe(false);
  });

  it('refuses a key file shorter than 32 bytes, saying what to do, and leaves it as it is', () => {
    const path = join(root, 'short-key');
    writeFileSync(path, 'too short');
    expect(() => readOrCreateSigningKey(path)).toThrow(SigningKeyFileError);
    expect(() => readOrCreateSigningKey(path)).toThrow(`cannot use the approval signing key file ${path}: it holds 9 bytes, at least 32 are needed; remove ${path} to have a new key made`);
    expect(statSync(path).size).toBe(9);
  });

  it('a key file that cannot be made is a SigningKeyFileError naming it', () => {
    const path = join(root, 'missing-folder', SIGNING_KEY_FILE);
    expect(() => readOrCreateSigningKey(path)).toThrow(SigningKeyFileError);
    expect(() => readOrCreateSigningKey(path)).toThrow(`cannot use the approval signing key file ${path}: ENOENT`);
  });
});
