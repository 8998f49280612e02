import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BREAKER_THRESHOLDS } from '../../../lambdas/lib/health';
import { BackfillConfigError } from '../../../infra/errors';
import { startLocalCloud } from '../../../local/cloud/startLocalCloud';
import { STACK_CONFIG_FILE, stackBreakerThresholds } from '../../../local/cloud/stackBreakerThresholds';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

describe('the local cloud reads the breaker thresholds the stack would deploy (cdk.json context)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backfill-stack-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const configFile = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it("applies the context's overrides over the defaults, field by field", () => {
    const file = configFile('override.json', JSON.stringify({ context: { breakerThresholds: { batchesFailed: { threshold: 1 }, dynamoDbThrottles: { periodSeconds: 30 } } } }));

    const thresholds = stackBreakerThresholds(file);

    expect(thresholds.batchesFailed).toEqual({ ...DEFAULT_BREAKER_THRESHOLDS.batchesFailed, threshold: 1 });
    expect(thresholds.dynamoDbThrottles).toEqual({ ...DEFAULT_BREAKER_THRESHOLDS.dynamoDbThrottles, periodSeconds: 30 });
    expect(thresholds.writeLatency).toEqual(DEFAULT_BREAKER_THRESHOLDS.writeLatency);
  });

  it("gives the defaults for the repository's cdk.json (it sets none) and for a missing file", () => {
    expect(stackBreakerThresholds(STACK_CONFIG_FILE)).toEqual(DEFAULT_BREAKER_THRESHOLDS);
    expect(stackBreakerThresholds(join(dir, 'absent.json'))).toEqual(DEFAULT_BREAKER_THRESHOLDS);
  });

  it('refuses invalid thresholds as cdk synth does, naming the field', () => {
    const file = configFile('invalid.json', JSON.stringify({ context: { breakerThresholds: { batchesFailed: { periodSeconds: 15 } } } }));

    const refused = (() => {
      try {
        return stackBreakerThresholds(file);
      } catch (error) {
        return error;
      }
    })();

    expect(refused).toBeInstanceOf(BackfillConfigError);
    expect((refused as Error).message).toMatch(/^breakerThresholds are invalid: .*batchesFailed\.periodSeconds.*must be 10, 30 or 60/);
  });

  it('refuses a file that is not JSON, naming it', () => {
    const file = configFile('broken.json', '{ "context": ');
    expect(() => stackBreakerThresholds(file)).toThrow(`breakerThresholds cannot be read: ${file} is not valid JSON`);
  });

  it("evaluates the alarms at the config file's thresholds, and a bad file starts nothing", async () => {
    const file = configFile('cloud.json', JSON.stringify({ context: { breakerThresholds: { batchesFailed: { threshold: 2 } } } }));
    const cloud = await startLocalCloud({ codeVersion: 'test', demo: false, stackConfigFile: file });
    try {
      const failed = cloud.alarms.definitions.find((d) => d.metricName === 'BatchesFailed');
      expect(failed?.threshold).toBe(2);
    } finally {
      await cloud.close();
    }
    const bad = configFile('cloud-bad.json', JSON.stringify({ context: { breakerThresholds: { nonsense: {} } } }));
    await expect(startLocalCloud({ codeVersion: 'test', demo: false, stackConfigFile: bad })).rejects.toThrow(BackfillConfigError);
  });
});
