import { UnsupportedDefinitionError, runExecution } from '../../../local/engine';
import { fn, mapMachine, processor, startS3Fixture, type S3Fixture } from './fixtures';

/** Distributed Map: where items come from and how they are shaped into child inputs. */
describe('distributed Map items', () => {
  let fixture: S3Fixture;
  beforeAll(async () => {
    fixture = await startS3Fixture();
  });
  afterAll(() => fixture.close());

  /** Runs a one-Map machine whose children echo their input; returns the outcome and the child inputs seen. */
  async function runEcho(map: Record<string, unknown>, input: unknown) {
    const seen: unknown[] = [];
    const outcome = await runExecution({
      definition: mapMachine({ ItemProcessor: processor(fn('echo')), ...map }),
      input,
      executionName: 'items-run',
      s3: fixture.s3,
      taskHandlers: { [fn('echo')]: async (childInput) => (seen.push(childInput), childInput) },
    });
    return { outcome, seen };
  }

  describe('ItemReader', () => {
    it('reads one item per JSONL line, with Parameters resolved against the Map input, and ItemSelector sees $$.Map.Item', async () => {
      // GIVEN a JSONL object with three values and a trailing blank line, and a Map that finds it through .$ paths
      await fixture.putText('manifests/three.jsonl', '{"batch":"a"}\n{"batch":"b"}\r\n\n"c"\n');
      const map = {
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { 'Bucket.$': '$.plan.bucket', 'Key.$': '$.plan.key' } },
        ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'run.$': '$$.Execution.Name', 'job.$': '$.job' },
      };
      // WHEN the machine runs
      const { outcome } = await runEcho(map, { job: 'orders', plan: { bucket: fixture.bucket, key: 'manifests/three.jsonl' } });
      // THEN each line became one child, in order, and the Map output is the children's outputs
      expect(outcome.status).toBe('SUCCEEDED');
      expect(outcome.output).toEqual([
        { value: { batch: 'a' }, index: 0, run: 'items-run', job: 'orders' },
        { value: { batch: 'b' }, index: 1, run: 'items-run', job: 'orders' },
        { value: 'c', index: 2, run: 'items-run', job: 'orders' },
      ]);
    });

    it('reads a JSON array and keeps only ReaderConfig.MaxItems items', async () => {
      // GIVEN a JSON array of four items and MaxItems 2
      await fixture.putText('manifests/four.json', JSON.stringify([1, 2, 3, 4]));
      const map = { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', MaxItems: 2 }, Parameters: { Bucket: fixture.bucket, Key: 'manifests/four.json' } } };
      // WHEN the machine runs
      const { outcome, seen } = await runEcho(map, {});
      // THEN only the first two items ran
      expect(outcome.output).toEqual([1, 2]);
      expect(seen).toEqual([1, 2]);
    });

    it('fails the Map with States.ItemReaderFailed when the object does not exist', async () => {
      // GIVEN a reader pointing at a missing key
      const map = { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: fixture.bucket, Key: 'manifests/missing.jsonl' } } };
      // WHEN the machine runs
      const { outcome, seen } = await runEcho(map, {});
      // THEN the execution fails with the reader error, naming the object, and no child ran
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
      expect(outcome.cause).toContain(`s3://${fixture.bucket}/manifests/missing.jsonl`);
      expect(seen).toEqual([]);
    });

    it('iterates the ItemsPath array when there is no ItemReader', async () => {
      // GIVEN items in the state input
      const { outcome } = await runEcho({ ItemsPath: '$.work' }, { work: [{ id: 1 }, { id: 2 }] });
      // THEN each element is one child input
      expect(outcome.output).toEqual([{ id: 1 }, { id: 2 }]);
    });

    it('refuses an InputType it does not emulate before running anything', async () => {
      // GIVEN a CSV reader
      const map = { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: fixture.bucket, Key: 'x.csv' } } };
      // WHEN it is run THEN the engine refuses it, naming the state
      await expect(runEcho(map, {})).rejects.toThrow(UnsupportedDefinitionError);
      await expect(runEcho(map, {})).rejects.toThrow(/State Fan: ItemReader.ReaderConfig.InputType CSV/);
    });
  });

  describe('ItemBatcher', () => {
    it('groups items by MaxItemsPerBatchPath and gives each child { Items, BatchInput }', async () => {
      // GIVEN seven items, a batch size read from the input, and a BatchInput with a path and a constant
      const map = {
        ItemsPath: '$.items',
        ItemBatcher: { MaxItemsPerBatchPath: '$.spec.perBatch', BatchInput: { 'runId.$': '$$.Execution.Name', 'spec.$': '$.spec', fixed: 1 } },
      };
      const spec = { perBatch: 3 };
      // WHEN the machine runs
      const { outcome, seen } = await runEcho(map, { items: [0, 1, 2, 3, 4, 5, 6], spec });
      // THEN there are three children of 3, 3 and 1 items, each with the resolved BatchInput
      expect(outcome.status).toBe('SUCCEEDED');
      const batchInput = { runId: 'items-run', spec, fixed: 1 };
      expect(seen).toEqual([
        { Items: [0, 1, 2], BatchInput: batchInput },
        { Items: [3, 4, 5], BatchInput: batchInput },
        { Items: [6], BatchInput: batchInput },
      ]);
    });

    it('closes a batch before its child input would exceed MaxInputBytesPerBatch', async () => {
      // GIVEN items of exactly 20 bytes each; {"Items":[]} is 12 bytes, so two items make 53 bytes and three 74
      const items = ['a', 'b', 'c', 'd', 'e'].map((letter) => ({ id: letter.repeat(11) }));
      expect(Buffer.byteLength(JSON.stringify(items[0]))).toBe(20);
      // WHEN batches may hold at most 60 bytes
      const { seen } = await runEcho({ ItemsPath: '$', ItemBatcher: { MaxInputBytesPerBatch: 60 } }, items);
      // THEN each child carries two items at most, and none is over the limit
      expect(seen.map((batch) => (batch as { Items: unknown[] }).Items.length)).toEqual([2, 2, 1]);
      for (const batch of seen) expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(60);
    });

    it('fails with States.Runtime, which Catch cannot catch, when a batch-size path matches nothing', async () => {
      // GIVEN MaxItemsPerBatchPath pointing at a missing field, and a Catch on States.ALL
      const definition = {
        StartAt: 'Fan',
        States: {
          Fan: { Type: 'Map', ItemProcessor: processor(fn('echo')), ItemBatcher: { MaxItemsPerBatchPath: '$.nope' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
          Caught: { Type: 'Pass', End: true },
        },
      };
      // WHEN it runs
      const outcome = await runExecution({ definition, input: [1], executionName: 'items-run', s3: fixture.s3, taskHandlers: { [fn('echo')]: async (i) => i } });
      // THEN the execution fails like on AWS
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(outcome.cause).toContain('$.nope');
    });
  });
});
