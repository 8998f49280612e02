import type { StageEvidence } from '../../../../lambdas/lib/evidence';

const ZERO_USAGE = {
  dynamodbReadUnits: 0, dynamodbWriteUnits: 0, s3Gets: 0, s3Puts: 0, lambdaGbSeconds: 0, lambdaRequests: 0, stateTransitions: 0, expressRequests: 0, expressGbSeconds: 0,
};

/** A passing canary's evidence; tests override what they look at. */
export function stageEvidence(overrides: Partial<StageEvidence> = {}): StageEvidence {
  return {
    version: 1,
    runId: 'r1',
    stage: { name: 'canary', kind: 'canary', index: 0, firstBatch: 0, batchCount: 1, cumulativePercent: 10 },
    mode: 'apply',
    transform: 'order-summary@2',
    target: 'orders',
    createdAt: '2026-01-01T00:00:00.000Z',
    passed: true,
    failures: [],
    counts: { read: 2, malformed: 0, produced: 2, written: 1, created: 0, unchanged: 1, skippedNewer: 0, skippedChanged: 0 },
    changeRatio: { produced: 2, written: 1, changePercent: 50, passed: true },
    determinism: { checkedBatches: ['b0000001'], unrecordedBatches: 0, mismatches: [], passed: true },
    rules: { transform: 'order-summary@2', items: 2, violations: 0, passed: true, rules: [] },
    diff: { items: 2, created: 0, updated: 2, unchanged: 1, attributes: [] },
    measured: { batches: 1, records: 2, elapsedMs: 100, usage: ZERO_USAGE },
    forecast: {
      status: 'cannot-forecast', reason: 'the stage took no measurable time', remaining: { batches: 9, records: 18 },
      prices: { region: 'us-east-1', checked: '2026-01-01', currency: 'USD', sources: { dynamodb: 'https://a', s3: 'https://b', lambda: 'https://c', stepFunctions: 'https://d' } },
    },
    ...overrides,
  };
}
