import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './runCli';

jest.setTimeout(120_000);

/** Overwrites a file with as many bytes of fixed garbage (not LevelDB data), keeping its size. */
function overwriteWithGarbage(path: string): void {
  writeFileSync(path, Buffer.alloc(statSync(path).size, 'not leveldb data \x01\xfe'));
}

const advice = (dir: string) => `; move ${dir} away and start again: a new data dir starts the run from scratch; the data in ${dir} cannot be read\n`;

describe('npm start -- --data-dir DIR on a data dir whose kept state is damaged', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-unusable-'));
  /** A data dir of one seeded run whose items are still only in LevelDB's write-ahead log. */
  const loggedOnly = join(work, 'logged-only');
  /** The same after one more open: LevelDB moved them into a table file (.ldb). */
  const compacted = join(work, 'compacted');
  let intactDump = '';
  let copies = 0;
  const copyOf = (dir: string) => {
    const copy = join(work, `copy-${++copies}`);
    cpSync(dir, copy, { recursive: true });
    return copy;
  };

  beforeAll(async () => {
    expect((await runCli(['--data-dir', loggedOnly, '--records', '200', '--seed-only'])).code).toBe(0);
    cpSync(loggedOnly, compacted, { recursive: true });
    const dump = await runCli(['--data-dir', compacted, '--dump', 'order-summaries']);
    expect(dump.code).toBe(0);
    intactDump = dump.stdout;
    expect(readdirSync(join(compacted, 'dynamodb')).some((name) => name.endsWith('.ldb'))).toBe(true);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each([
    ['dynamodb', 'a run', ['--records', '200']],
    ['s3', 'a run', ['--records', '200']],
    ['dynamodb', '--dump', ['--dump', 'order-summaries']],
  ])('DIR/%s replaced by a file: %s exits 2 naming the path and what to do', async (folder, _what, args) => {
    const dir = copyOf(compacted);
    rmSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder), 'not a folder');
    const result = await runCli(['--data-dir', dir, ...args]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 2,
      stderr: `error: cannot use ${dir} as the data dir: ${dir}/${folder} is a file, not the folder the emulators keep their state in${advice(dir)}`,
    });
  });

  it.each([
    ['a run', ['--records', '200']],
    ['--dump', ['--dump', 'order-summaries']],
  ])("dynalite's table files overwritten: %s exits 2 naming the store and LevelDB's reason", async (_what, args) => {
    const dir = copyOf(compacted);
    for (const name of readdirSync(join(dir, 'dynamodb')).filter((n) => n.endsWith('.ldb'))) overwriteWithGarbage(join(dir, 'dynamodb', name));
    const result = await runCli(['--data-dir', dir, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: cannot use ${dir} as the data dir: cannot read the emulator state in ${dir}/dynamodb: LevelDB cannot read it (Corruption: not an sstable (bad magic number))${advice(dir)}`,
    );
  });

  it("dynalite's write-ahead log overwritten: the run exits 2 instead of silently starting over, and so does the next one", async () => {
    // GIVEN a data dir whose items are only in the log, and the log overwritten
    const dir = copyOf(loggedOnly);
    for (const name of readdirSync(join(dir, 'dynamodb')).filter((n) => n.endsWith('.log'))) overwriteWithGarbage(join(dir, 'dynamodb', name));
    // WHEN a run starts on it, twice (LevelDB drops the unreadable log at the first open)
    const first = await runCli(['--data-dir', dir, '--records', '200']);
    const second = await runCli(['--data-dir', dir, '--records', '200']);
    // THEN both refuse with the log LevelDB could not read
    for (const result of [first, second]) {
      expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
      expect(result.stderr).toMatch(
        new RegExp(`^error: cannot use ${dir} as the data dir: cannot read the emulator state in ${dir}/dynamodb: LevelDB could not read its log and dropped records \\(${dir}/dynamodb/\\d+\\.log: dropping \\d+ bytes; Corruption: [^)]+\\)`),
      );
      expect(result.stderr.endsWith(advice(dir))).toBe(true);
    }
  });

  it("a bucket folder of s3rver replaced by a file: exits 2 naming it, not s3rver's UnknownError", async () => {
    const dir = copyOf(compacted);
    const bucket = join(dir, 's3', 'backfill-artifacts');
    rmSync(bucket, { recursive: true });
    writeFileSync(bucket, 'not a bucket');
    const result = await runCli(['--data-dir', dir, '--records', '200']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 2,
      stderr: `error: cannot use ${dir} as the data dir: cannot read the emulator state in ${dir}/s3: ${bucket} is a file, not a bucket folder${advice(dir)}`,
    });
  });

  it('an intact copy still runs (the checks refuse only damage)', async () => {
    const dir = copyOf(compacted);
    mkdirSync(join(dir, 'extra-notes'));
    const result = await runCli(['--data-dir', dir, '--dump', 'order-summaries']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toBe(intactDump);
    expect(intactDump).toMatch(/^\{"/);
  });
});
