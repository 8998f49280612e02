import { DDB_LOCAL_ENDPOINT_ENV, DYNAMODB_TARGETS_ENV, dynamoTargets, startTestDynamo, uniqueName } from './dynamoTargets';
import { planSharedDynamoDbLocal } from './sharedDynamoDbLocal';

const RUNNING = { [DDB_LOCAL_ENDPOINT_ENV]: 'http://127.0.0.1:1' };

describe('dynamoTargets', () => {
  it('tests on both emulators when DynamoDB Local is running', () => {
    expect(dynamoTargets({ ...RUNNING })).toEqual(['dynalite', 'dynamodb-local']);
  });

  it('tests on dynalite only when DynamoDB Local is not running', () => {
    expect(dynamoTargets({})).toEqual(['dynalite']);
  });

  it.each([
    ['dynalite', ['dynalite']],
    ['dynamodb-local', ['dynamodb-local']],
    ['both', ['dynalite', 'dynamodb-local']],
  ])('follows %s=%s', (choice, expected) => {
    expect(dynamoTargets({ ...RUNNING, [DYNAMODB_TARGETS_ENV]: choice })).toEqual(expected);
  });

  it('refuses an override that needs DynamoDB Local when it is not running', () => {
    expect(() => dynamoTargets({ [DYNAMODB_TARGETS_ENV]: 'both' })).toThrow(
      `${DYNAMODB_TARGETS_ENV}=both needs DynamoDB Local, but it is not running`,
    );
  });

  it('refuses an unknown override, naming the value and the choices', () => {
    expect(() => dynamoTargets({ [DYNAMODB_TARGETS_ENV]: 'dynamo' })).toThrow(
      `${DYNAMODB_TARGETS_ENV} must be one of dynalite, dynamodb-local, both, got 'dynamo'`,
    );
  });
});

describe('planSharedDynamoDbLocal', () => {
  it('starts DynamoDB Local whenever java is present', () => {
    expect(planSharedDynamoDbLocal({}, true)).toEqual({ start: true });
    expect(planSharedDynamoDbLocal({ CI: 'true' }, true)).toEqual({ start: true });
  });

  it('skips it, with the reason, on a developer machine without java', () => {
    expect(planSharedDynamoDbLocal({}, false)).toEqual({
      start: false,
      reason: expect.stringContaining('java is not on PATH, so tests run on dynalite only'),
    });
  });

  it('fails the run in CI without java, since CI must test on both emulators', () => {
    expect(() => planSharedDynamoDbLocal({ CI: 'true' }, false)).toThrow(
      /^CI must run the tests on DynamoDB Local as well as dynalite, but java is not on PATH; install Java 17\+/,
    );
  });

  it('fails the run when the override asks for DynamoDB Local and java is missing', () => {
    expect(() => planSharedDynamoDbLocal({ [DYNAMODB_TARGETS_ENV]: 'dynamodb-local' }, false)).toThrow(
      `${DYNAMODB_TARGETS_ENV}=dynamodb-local needs DynamoDB Local, but java is not on PATH`,
    );
  });

  it('does not start it when the override picks dynalite', () => {
    expect(planSharedDynamoDbLocal({ [DYNAMODB_TARGETS_ENV]: 'dynalite' }, true)).toEqual({
      start: false,
      reason: `${DYNAMODB_TARGETS_ENV}=dynalite`,
    });
  });
});

describe('startTestDynamo', () => {
  it('gives each caller a fresh dynalite', async () => {
    const first = await startTestDynamo('dynalite');
    const second = await startTestDynamo('dynalite');
    try {
      expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(second.endpoint).not.toBe(first.endpoint);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe('uniqueName', () => {
  it('never repeats, and is a valid table and bucket name', () => {
    const names = Array.from({ length: 1000 }, () => uniqueName('ledger'));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^ledger-[a-z0-9-]+$/);
      expect(name.length).toBeLessThanOrEqual(63); // S3's limit; DynamoDB allows 255
    }
  });

  it('refuses a prefix that would make an invalid bucket name', () => {
    expect(() => uniqueName('Ledger_Table')).toThrow("got 'Ledger_Table'");
  });
});
