import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MINIMUM_KEY_BYTES } from '../../lambdas/lib/approval';
import { SigningKeyFileError } from './errors';

/** The key file's name in the data dir. */
export const SIGNING_KEY_FILE = 'approval-signing-key';

/** What to do about a key file that is not ours: links signed with it stop working once it is replaced. */
const REPLACE_ADVICE = (path: string) => `remove ${path} to have a new key made (links already sent stop working), or restore the original file`;

/**
 * The data dir's approval signing key (what the stack's Secrets Manager secret is on AWS): 32 random
 * bytes in `DIR/approval-signing-key`, mode 0600, made on first use and read ever after, so the
 * links in the outbox stay valid across restarts. Made whole or not at all: written to a temp file,
 * then hard-linked into place, which fails if another process made it first (its key is then read).
 * @throws SigningKeyFileError when the file cannot be made or read, or holds fewer than 32 bytes
 * @example
 *   const key = readOrCreateSigningKey(join(dataDir, SIGNING_KEY_FILE)); // a 32-byte Buffer, the same on every start
 */
export function readOrCreateSigningKey(path: string): Buffer {
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new SigningKeyFileError(path, (error as Error).message, { cause: error });
    create(path);
  }
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (error) {
    throw new SigningKeyFileError(path, (error as Error).message, { cause: error });
  }
  if (key.length < MINIMUM_KEY_BYTES) throw new SigningKeyFileError(path, `it holds ${key.length} bytes, at least ${MINIMUM_KEY_BYTES} are needed`, { advice: REPLACE_ADVICE(path) });
  return key;
}

function create(path: string): void {
  const temp = join(dirname(path), `.${SIGNING_KEY_FILE}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, randomBytes(MINIMUM_KEY_BYTES), { mode: 0o600 });
    chmodSync(temp, 0o600);
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new SigningKeyFileError(path, (error as Error).message, { cause: error });
  } finally {
    rmSync(temp, { force: true });
  }
}
