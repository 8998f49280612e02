import * as fs from 'node:fs';
import * as path from 'node:path';

interface State {
  readonly Type: string;
  readonly Next?: string;
  readonly ResultPath?: string | null;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
  readonly Parameters?: Record<string, unknown>;
}

const BACKFILL = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'statemachines', 'backfill.asl.json'), 'utf8')) as { States: Record<string, State> };

/** On AWS the execution's Error and Cause are what RunFailed reads: they must be what MarkRunFailed recorded. */
describe('backfill.asl.json: MarkRunFailed → RunFailed', () => {
  const mark = BACKFILL.States.MarkRunFailed!;
  const fail = BACKFILL.States.RunFailed!;

  it('MarkRunFailed gets the caught error and keeps its result (the recorded error) beside it', () => {
    expect(mark.Parameters).toEqual({ 'runId.$': '$.runId', 'error.$': '$.error' });
    expect(mark.ResultPath).toBe('$.failure');
    expect(mark.Next).toBe('RunFailed');
  });

  it('RunFailed ends the execution with the Error and Cause MarkRunFailed returned', () => {
    expect(fail).toMatchObject({ Type: 'Fail', ErrorPath: `${mark.ResultPath}.Error`, CausePath: `${mark.ResultPath}.Cause` });
  });
});
