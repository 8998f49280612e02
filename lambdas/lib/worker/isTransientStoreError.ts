const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'SlowDown',
  'InternalError',
  'TimeoutError',
  'ECONNRESET',
]);

/** Errors from DynamoDB or S3 worth retrying after the SDK's own retries gave up. */
export function isTransientStoreError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return TRANSIENT.has(error.name) || TRANSIENT.has((error as { code?: string }).code ?? '') || (status !== undefined && status >= 500);
}
