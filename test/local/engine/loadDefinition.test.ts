import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingPlaceholderError, loadDefinition } from '../../../local/engine';

describe('loadDefinition', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'load-definition-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('replaces every ${Name} placeholder, each occurrence, and parses the result', () => {
    // GIVEN an ASL file using one placeholder twice and another once
    const path = write(
      'two.asl.json',
      JSON.stringify({
        StartAt: 'A',
        States: {
          A: { Type: 'Task', Resource: '${WorkerArn}', Next: 'B' },
          B: { Type: 'Task', Resource: '${WorkerArn}', Parameters: { Bucket: '${Bucket}' }, End: true },
        },
      }),
    );
    // WHEN it is loaded with values for both
    const definition = loadDefinition(path, { WorkerArn: 'arn:aws:lambda:us-east-1:000000000000:function:w', Bucket: 'artifacts' });
    // THEN every occurrence carries its value
    expect(definition.States.A!.Resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:w');
    expect(definition.States.B!.Resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:w');
    expect(definition.States.B!.Parameters).toEqual({ Bucket: 'artifacts' });
  });

  it('refuses placeholders without a value and names every one of them', () => {
    // GIVEN a file with three placeholders, only one of which has a value
    const path = write('missing.asl.json', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { a: '${Known}', b: '${Zeta}', c: '${Alpha}' }, End: true } } }));
    // WHEN it is loaded THEN the error names both missing placeholders and the file
    let thrown: unknown;
    try {
      loadDefinition(path, { Known: 'x' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MissingPlaceholderError);
    expect((thrown as MissingPlaceholderError).placeholders).toEqual(['Alpha', 'Zeta']);
    expect((thrown as Error).message).toContain('${Alpha}, ${Zeta}');
    expect((thrown as Error).message).toContain(path);
  });

  it('loads the real backfill definition once every placeholder of the file has a value', () => {
    // GIVEN the product's ASL file
    const path = join(__dirname, '../../../statemachines/backfill.asl.json');
    // WHEN it is loaded without substitutions THEN it names the placeholders the file uses
    expect(() => loadDefinition(path, {})).toThrow(/\$\{WorkerFunctionArn\}/);
    // AND WHEN every placeholder it names gets a value THEN no placeholder is left
    const names = (() => {
      try {
        loadDefinition(path, {});
        return [];
      } catch (error) {
        return [...(error as MissingPlaceholderError).placeholders];
      }
    })();
    const definition = loadDefinition(path, Object.fromEntries(names.map((name) => [name, `value-of-${name}`])));
    expect(JSON.stringify(definition)).not.toContain('${');
    expect(JSON.stringify(definition)).toContain('value-of-WorkerFunctionArn');
  });
});
