import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDirectory, removeAbandonedTempDirs, startS3rver } from '../../../local/emulators';

describe('lockDirectory', () => {
  const work = mkdtempSync(join(tmpdir(), 'lock-directory-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('creates the directory, holds it against a second holder, and frees it on release', async () => {
    // GIVEN a directory locked once
    const dir = join(work, 'a', 'b');
    const lock = await lockDirectory(dir);
    // WHEN it is locked again before the release, and after it
    const refused = await lockDirectory(dir).then(
      () => undefined,
      (error: unknown) => error,
    );
    await lock.release();
    const again = await lockDirectory(dir);
    await again.release();
    // THEN the second attempt was refused naming the dir and this process, and the third succeeded
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toMatch(new RegExp(`^the data dir ${dir} is in use by another process \\(pid ${process.pid}, since `));
    expect(existsSync(join(dir, 'lock', 'holder.json'))).toBe(true);
  });

  it('names the holder of a lock taken a moment ago by another process, though its record came after the refusal', async () => {
    // GIVEN another process that has taken the lock but writes its holder record only 500 ms later
    const dir = join(work, 'late-record');
    mkdirSync(join(dir, 'lock'), { recursive: true });
    const levelPath = require.resolve('level', { paths: [require.resolve('dynalite')] });
    const holderScript = `
      const { Level } = require(${JSON.stringify(levelPath)});
      const { writeFileSync } = require('node:fs');
      const db = new Level(${JSON.stringify(join(dir, 'lock'))});
      db.open().then(() => {
        process.stdout.write('locked\\n');
        setTimeout(() => writeFileSync(${JSON.stringify(join(dir, 'lock', 'holder.json'))}, JSON.stringify({ pid: process.pid, since: '2026-12-01T00:00:00.000Z' })), 500);
        process.stdin.on('end', () => process.exit(0)).resume();
      });`;
    const holder = spawn(process.execPath, ['-e', holderScript], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      // WHEN this process tries the lock at once
      const refused = await lockDirectory(dir).then(
        () => undefined,
        (error: unknown) => error,
      );
      // THEN it is refused naming the other process, not "in use" with no holder
      expect((refused as Error).message).toBe(`the data dir ${dir} is in use by another process (pid ${holder.pid}, since 2026-12-01T00:00:00.000Z); wait for it to finish or stop it, or give another --data-dir`);
    } finally {
      holder.stdin.end();
      await new Promise((resolve) => holder.once('exit', resolve));
    }
  });
});

describe('removeAbandonedTempDirs', () => {
  const root = mkdtempSync(join(tmpdir(), 'temp-root-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('removes only the temp dirs of s3rvers whose process is gone, never a live one or a foreign one', async () => {
    // GIVEN a live in-memory s3rver, a temp dir whose holder is gone (its lock free), and a foreign folder
    const live = await startS3rver({ tempRoot: root });
    try {
      const abandoned = join(root, 'backfill-s3rver-gone01');
      await (await lockDirectory(abandoned)).release();
      mkdirSync(join(abandoned, 'store'));
      mkdirSync(join(root, 'backfill-s3rver-foreign'));
      const liveDir = readdirSync(root).find((name) => name.startsWith('backfill-s3rver-') && !name.endsWith('gone01') && !name.endsWith('foreign'));
      // WHEN the sweep runs
      const removed = await removeAbandonedTempDirs(root);
      // THEN only the abandoned one is gone
      expect(removed).toEqual([abandoned]);
      expect(readdirSync(root).sort()).toEqual(['backfill-s3rver-foreign', liveDir].sort());
    } finally {
      await live.close();
    }
    // AND closing the live s3rver removed its own temp dir
    expect(readdirSync(root)).toEqual(['backfill-s3rver-foreign']);
  });
});
