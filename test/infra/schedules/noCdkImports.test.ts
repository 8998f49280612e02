import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../../infra/paths';

// infra/schedules is what `backfill schedule fire` loads to send what Scheduler would: it must not
// pull in the CDK (seconds to load, and nothing the CLI needs).
const SCHEDULES = path.join(REPO_ROOT, 'infra', 'schedules');

describe('infra/schedules', () => {
  it.each(fs.readdirSync(SCHEDULES).filter((name) => name.endsWith('.ts')))('%s imports neither the CDK nor a construct', (name) => {
    const specifiers = [...fs.readFileSync(path.join(SCHEDULES, name), 'utf8').matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    expect(specifiers.filter((s) => /^(aws-cdk-lib|constructs|cdk-nag)(\/|$)/.test(s) || /\/constructs(\/|$)/.test(s) || s.endsWith('BackfillStack'))).toEqual([]);
  });
});
