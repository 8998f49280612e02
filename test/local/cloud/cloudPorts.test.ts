import { cloudPorts, invalidCloudPort } from '../../../local/cloud/cloudPorts';

describe('cloudPorts', () => {
  it('puts Step Functions on N, DynamoDB on N+1, S3 on N+2 and the approval page on N+3', () => {
    expect(cloudPorts(4570)).toEqual({ stepfunctions: 4570, dynamodb: 4571, s3: 4572, approvals: 4573 });
  });

  it('makes --port 0 four ephemeral ports', () => {
    expect(cloudPorts(0)).toEqual({ stepfunctions: 0, dynamodb: 0, s3: 0, approvals: 0 });
  });
});

describe('invalidCloudPort', () => {
  it.each([0, 1024, 4570, 65532])('accepts %d', (port) => expect(invalidCloudPort(port)).toBeUndefined());

  it.each([1, 1023, 65533, 70000, 4570.5, Number.NaN])('refuses %d, naming the range and what N means', (port) => {
    expect(invalidCloudPort(port)).toBe(
      `--port must be 0 (four ephemeral ports) or 1024–65532 (Step Functions on N, DynamoDB on N+1, S3 on N+2, the approval page on N+3), got ${port}`,
    );
  });
});
