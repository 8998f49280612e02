import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keptExecutionNotices } from '../../../local/cli/keptExecutionNotices';
import type { ExecutionRecord } from '../../../local/cloud/stepfunctions/model/ExecutionRecord';
import { FileExecutionStore } from '../../../local/cloud/stepfunctions/store/FileExecutionStore';

const record = (seq: number, name: string, input: string): ExecutionRecord => ({
  seq,
  name,
  executionArn: `arn:aws:states:us-east-1:000000000000:execution:Backfill:${name}`,
  stateMachineName: 'Backfill',
  input,
  status: 'RUNNING',
  startDateMs: 1,
  redriveCount: 0,
});

describe('keptExecutionNotices', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'kept-notices-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says nothing for a data dir without kept executions, and for none at all (in memory)', () => {
    expect([keptExecutionNotices(dataDir), keptExecutionNotices(undefined)]).toEqual([[], []]);
  });

  it('names each RUNNING execution and its run (input runId, else the name); a record left RUNNING behind its closing event is not running', () => {
    const store = new FileExecutionStore(join(dataDir, 'stepfunctions'));
    store.saveRecord(record(1, 'named-by-input', '{"runId":"r1"}'));
    store.saveRecord(record(2, 'r2', '{}'));
    const closed = record(3, 'closed', '{"runId":"r3"}');
    store.saveRecord(closed);
    store.appendEvent(closed, { id: 1, previousEventId: 0, timestampMs: 2, type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{}' } });
    expect(keptExecutionNotices(dataDir).map((line) => line.slice(0, line.indexOf(' was running')))).toEqual([
      'execution arn:aws:states:us-east-1:000000000000:execution:Backfill:named-by-input of run r1',
      'execution arn:aws:states:us-east-1:000000000000:execution:Backfill:r2 of run r2',
    ]);
  });

  it('reports a kept record it cannot read in one line instead of failing the command', () => {
    const store = new FileExecutionStore(join(dataDir, 'stepfunctions'));
    store.saveRecord(record(1, 'torn', '{}'));
    writeFileSync(join(dataDir, 'stepfunctions', 'executions', '00000001', 'record.json'), '{"name": 3}');
    expect(keptExecutionNotices(dataDir)).toEqual([expect.stringMatching(/^cannot read the kept Step Functions executions: .*00000001\/record\.json .*; whatever executions it keeps are left as they are$/)]);
  });
});
