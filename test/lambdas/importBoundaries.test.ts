import * as fs from 'node:fs';
import * as path from 'node:path';

// The Lambda code is bundled on its own (esbuild from each lambdas/<id>/handler.ts): it must not
// reach into the CDK app, the local runtime, the benchmark or the tests. infra/ and local/ import
// from lambdas/, never the reverse.
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const LAMBDAS = path.join(REPO_ROOT, 'lambdas');
const FORBIDDEN_FOLDERS = ['infra', 'local', 'bench', 'test'];
const FORBIDDEN_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'aws-cdk'];

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports, `import()` and `require()`. */
function specifiersOf(text: string): string[] {
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!));
}

/** What a specifier of `file` reaches that Lambda code must not: a folder outside lambdas/ or a CDK package. */
function forbiddenTarget(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const top = path.relative(REPO_ROOT, path.resolve(path.dirname(file), specifier)).split(path.sep)[0]!;
    return FORBIDDEN_FOLDERS.includes(top) ? `${top}/` : undefined;
  }
  const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  return FORBIDDEN_PACKAGES.includes(pkg) ? pkg : undefined;
}

const offences = (files: readonly string[]) =>
  files.flatMap((file) =>
    specifiersOf(fs.readFileSync(file, 'utf8')).flatMap((specifier) => {
      const target = forbiddenTarget(file, specifier);
      return target ? [`${path.relative(REPO_ROOT, file)} imports ${specifier} (${target})`] : [];
    }),
  );

describe('the Lambda code (lambdas/)', () => {
  const files = sourceFiles(LAMBDAS);

  it('is found (the check reads real files)', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('imports nothing from infra/, local/, bench/ or test/, and no CDK package', () => {
    expect(offences(files)).toEqual([]);
  });
});

describe('the import check itself', () => {
  // GIVEN a file under lambdas/lib that reaches out in each forbidden way; THEN each is named.
  const file = path.join(LAMBDAS, 'lib', 'example', 'example.ts');

  it.each([
    ["import { X } from '../../../infra/artifactPrefixes';", 'infra/'],
    ["export { Y } from '../../../local/runtime/LocalEnvironment';", 'local/'],
    ["const z = require('../../../bench/stats');", 'bench/'],
    ["import * as cdk from 'aws-cdk-lib/aws-s3';", 'aws-cdk-lib'],
    ["import type { Construct } from 'constructs';", 'constructs'],
  ])('names %s', (line, target) => {
    expect(specifiersOf(line).map((specifier) => forbiddenTarget(file, specifier))).toEqual([target]);
  });

  it('lets lambdas/ import itself and the AWS SDK', () => {
    const lines = "import { a } from '../canonicalJson';\nimport { S3Client } from '@aws-sdk/client-s3';\nimport { T } from '../../transforms';";
    expect(specifiersOf(lines).map((specifier) => forbiddenTarget(file, specifier))).toEqual([undefined, undefined, undefined]);
  });
});
