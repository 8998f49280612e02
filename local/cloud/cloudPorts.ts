/** The ports of one local cloud: `--port N` is Step Functions; DynamoDB and S3 follow it. */
export interface CloudPorts {
  readonly stepfunctions: number;
  readonly dynamodb: number;
  readonly s3: number;
}

/** The default `--port`. */
export const DEFAULT_CLOUD_PORT = 4570;

/**
 * Step Functions on `port`, DynamoDB on `port + 1`, S3 on `port + 2`; 0 is three ephemeral ports.
 * @example
 *   cloudPorts(4570); // { stepfunctions: 4570, dynamodb: 4571, s3: 4572 }
 */
export function cloudPorts(port: number): CloudPorts {
  if (port === 0) return { stepfunctions: 0, dynamodb: 0, s3: 0 };
  return { stepfunctions: port, dynamodb: port + 1, s3: port + 2 };
}

/**
 * Why `port` cannot be a `--port`, or undefined when it can.
 * @example
 *   invalidCloudPort(80); // '--port must be 0 (three ephemeral ports) or 1024–65533 (...), got 80'
 */
export function invalidCloudPort(port: number, given: string = String(port)): string | undefined {
  if (Number.isInteger(port) && (port === 0 || (port >= 1024 && port <= 65533))) return undefined;
  return `--port must be 0 (three ephemeral ports) or 1024–65533 (Step Functions on N, DynamoDB on N+1, S3 on N+2), got ${given}`;
}
