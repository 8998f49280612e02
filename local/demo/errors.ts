/** Base class of demo-dataset errors. */
export class DemoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DemoError';
  }
}

/** An option of generateDemoDataset / seedDemo is out of range. */
export class InvalidDemoOptionError extends DemoError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    rule: string,
  ) {
    super(`demo option ${option} must be ${rule}, got ${JSON.stringify(value)}; pass a valid ${option}`);
    this.name = 'InvalidDemoOptionError';
  }
}

/** DynamoDB kept returning UnprocessedItems for a batch write after every retry. */
export class BatchWriteIncompleteError extends DemoError {
  constructor(
    readonly tableName: string,
    readonly unprocessed: number,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${unprocessed} write request(s) to table ${tableName} were still unprocessed after ${attempts} attempts; the table is throttling: ` +
        'seed again later (seeding is idempotent) or lower the write concurrency',
      options,
    );
    this.name = 'BatchWriteIncompleteError';
  }
}
