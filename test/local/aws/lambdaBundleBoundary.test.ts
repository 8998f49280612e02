import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the Lambda bundle (lambdas/)', () => {
  const files = sourceFiles(join(REPO, 'lambdas'));

  it('imports nothing from local/: emulator client setup lives there, and Lambda code gets its clients injected', () => {
    // GIVEN every source file of the Lambda code
    // WHEN its imports are read
    const offending = files.filter((file) => /from '(?:\.\.\/)+local\//.test(readFileSync(file, 'utf8'))).map((file) => relative(REPO, file));
    // THEN none reaches into local/
    expect(offending).toEqual([]);
  });

  it('holds no emulator credentials or endpoint switches', () => {
    const offending = files
      .filter((file) => /S3RVER|forcePathStyle|BACKFILL_(?:DYNAMODB|S3)_ENDPOINT/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(REPO, file));
    expect(offending).toEqual([]);
  });
});
