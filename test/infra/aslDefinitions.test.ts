import * as fs from 'node:fs';
import * as path from 'node:path';
import { aslFiles, distributedMapFieldProblems, substitute } from './support/asl';

// asl-validator 4 ships no types: (definition, options?) => { isValid, errors, errorsText }.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (definition: unknown, options?: { checkPaths: boolean; checkArn: boolean }) => { isValid: boolean; errorsText(separator?: string): string };

/** Validates a copy: asl-validator writes QueryLanguage into every state it checks. */
const validate = (definition: unknown) => aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });

/** Realistic values for every placeholder, as the stack would substitute them. */
const DEPLOYED_VALUES = new Proxy({} as Record<string, string>, {
  get: (_, name: string) => (name.endsWith('FunctionArn') ? `arn:aws:lambda:us-east-1:123456789012:function:backfill-${name}` : 'backfill-artifacts-123456789012'),
});
const placeholders = (text: string) => [...new Set([...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]))];

describe.each(aslFiles().map((file) => [path.basename(file), file]))('%s', (_name, file) => {
  const text = fs.readFileSync(file, 'utf8');
  const deployedValues = Object.fromEntries(placeholders(text).map((name) => [name, DEPLOYED_VALUES[name]]));

  it('is valid ASL as written (asl-validator accepts ${...} placeholders as Task resources)', () => {
    const result = validate(JSON.parse(text));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is valid ASL with the placeholders substituted, as deployed (ARNs checked)', () => {
    const result = validate(JSON.parse(substitute(text, deployedValues)));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses only known distributed Map fields and values (which asl-validator does not check)', () => {
    expect(distributedMapFieldProblems(JSON.parse(text))).toEqual([]);
  });
});

describe('the ASL checks themselves', () => {
  // GIVEN the real definition with one mistake each; THEN the checks reject it (so the
  // passing results above mean something).
  const backfill = () => JSON.parse(fs.readFileSync(aslFiles().find((f) => f.endsWith('backfill.asl.json'))!, 'utf8'));

  it('asl-validator rejects a transition to a state that does not exist', () => {
    const definition = backfill();
    definition.States.Plan.Next = 'NoSuchState';
    expect(validate(definition).isValid).toBe(false);
  });

  it('asl-validator rejects a distributed Map with an unknown ProcessorConfig mode', () => {
    const definition = backfill();
    definition.States.ProcessBatches.ItemProcessor.ProcessorConfig.Mode = 'DISTRIBUTE';
    expect(validate(definition).isValid).toBe(false);
  });

  const MISTAKES: [string, (d: any) => void, string][] = [
    ['a misspelt ItemBatcher field', (d) => { d.States.ProcessBatches.ItemBatcher.MaxItemPerBatchPath = '$.n'; }, 'unknown field MaxItemPerBatchPath'],
    ['a bad ReaderConfig InputType', (d) => { d.States.ProcessBatches.ItemReader.ReaderConfig.InputType = 'JSONLINES'; }, 'InputType: JSONLINES'],
    ['a misspelt ResultWriter field', (d) => { d.States.ProcessBatches.ResultWriter.Paramters = {}; }, 'unknown field Paramters'],
    ['an unknown ItemReader resource', (d) => { d.States.ProcessBatches.ItemReader.Resource = 'arn:aws:states:::s3:getObjekt'; }, 'is not an S3 reader'],
  ];

  it.each(MISTAKES)('the distributed Map check rejects %s', (_what, mutate, problem) => {
    const definition = backfill();
    mutate(definition);
    expect(distributedMapFieldProblems(definition).join('\n')).toContain(problem);
  });

  it('asl-validator accepts all of those mistakes (why the distributed Map check exists)', () => {
    const definition = backfill();
    for (const [, mutate] of MISTAKES) mutate(definition);
    expect(validate(definition).isValid).toBe(true);
  });
});
