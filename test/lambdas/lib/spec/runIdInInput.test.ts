import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidSpecError } from '../../../../lambdas/lib/spec';
import { validateExecutionInput } from '../../../../lambdas/lib/spec/validateExecutionInput';

const spec = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'examples', 'orders-spec.json'), 'utf8')) as Record<string, unknown>;

describe('validateExecutionInput and the optional top-level runId', () => {
  it('uses the execution name as the runId when the input names none', () => {
    expect(validateExecutionInput(spec, 'exec-1').runId).toBe('exec-1');
  });

  it('resumes the run the input names, with the same specHash as the spec alone', () => {
    // GIVEN a new execution (names are never reused on AWS) whose input names the failed run
    const plain = validateExecutionInput(spec, 'orders-fix');
    const resumed = validateExecutionInput({ ...spec, runId: 'orders-fix' }, 'orders-fix-resume-1');
    // THEN it targets that run, and the spec hash matches so StartRun accepts the resume
    expect(resumed.runId).toBe('orders-fix');
    expect(resumed.specHash).toBe(plain.specHash);
  });

  it('refuses a runId that is not an execution name, naming the field', () => {
    expect(() => validateExecutionInput({ ...spec, runId: 'has spaces' }, 'x')).toThrow(InvalidSpecError);
    expect(() => validateExecutionInput({ ...spec, runId: 7 }, 'x')).toThrow(/runId: must be 1–80/);
  });
});
