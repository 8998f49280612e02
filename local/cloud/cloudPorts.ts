/** The ports of one local cloud: `--port N` is Step Functions; DynamoDB, S3 and the approval page follow it. */
export interface CloudPorts {
  readonly stepfunctions: number;
  readonly dynamodb: number;
  readonly s3: number;
  /** The approval page (the approval function's Function URL on AWS). */
  readonly approvals: number;
}

/** The default `--port`. */
export const DEFAULT_CLOUD_PORT = 4570;

/**
 * Step Functions on `port`, DynamoDB on `port + 1`, S3 on `port + 2`, the approval page on
 * `port + 3`; 0 is four ephemeral ports.
 * @example
 *   cloudPorts(4570); // { stepfunctions: 4570, dynamodb: 4571, s3: 4572, approvals: 4573 }
 */
export function cloudPorts(port: number): CloudPorts {
  if (port === 0) return { stepfunctions: 0, dynamodb: 0, s3: 0, approvals: 0 };
  return { stepfunctions: port, dynamodb: port + 1, s3: port + 2, approvals: port + 3 };
}

/**
 * Why `port` cannot be a `--port`, or undefined when it can.
 * @example
 *   invalidCloudPort(80); // '--port must be 0 (four ephemeral ports) or 1024–65532 (...), got 80'
 */
export function invalidCloudPort(port: number, given: string = String(port)): string | undefined {
  if (Number.isInteger(port) && (port === 0 || (port >= 1024 && port <= 65532))) return undefined;
  return `--port must be 0 (four ephemeral ports) or 1024–65532 (Step Functions on N, DynamoDB on N+1, S3 on N+2, the approval page on N+3), got ${given}`;
}
