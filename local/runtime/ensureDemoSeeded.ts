import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { LOCAL_NAMES } from '../../infra/definitions';
import type { AwsClients } from '../../lambdas/lib/aws/clients';
import { seedDemo, DEFAULT_DEMO_SEED, type DemoStats } from '../demo';
import { UsageError } from '../cli/errors';

const MARKER_KEY = 'demo/seeded.json';

export interface SeedMarker {
  readonly records: number;
  readonly seed: number;
  readonly stats: DemoStats;
}

/**
 * Seeds the demo dataset once per data dir. The marker is written last, so a seed killed halfway
 * is simply redone (seeding is idempotent). A data dir seeded with another size is refused, unless
 * `keepOtherSize` (`local up` seeds only a new data dir and serves whatever an earlier run seeded).
 */
export async function ensureDemoSeeded(clients: AwsClients, records: number, options: { keepOtherSize?: boolean } = {}): Promise<{ seededNow: boolean; marker: SeedMarker }> {
  const existing = await readMarker(clients);
  if (existing) {
    if (existing.records !== records && !options.keepOtherSize) {
      throw new UsageError(`this data dir holds a demo dataset of ${existing.records} records, not ${records}; pass --records ${existing.records} or use a new --data-dir`);
    }
    return { seededNow: false, marker: existing };
  }
  const { stats } = await seedDemo({ clients, sourceBucket: LOCAL_NAMES.sourceBucket, targetTable: LOCAL_NAMES.demoTargetTable, records, seed: DEFAULT_DEMO_SEED });
  const marker: SeedMarker = { records, seed: DEFAULT_DEMO_SEED, stats };
  await clients.s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.sourceBucket, Key: MARKER_KEY, Body: JSON.stringify(marker), ContentType: 'application/json' }));
  return { seededNow: true, marker };
}

async function readMarker(clients: AwsClients): Promise<SeedMarker | undefined> {
  try {
    const response = await clients.s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.sourceBucket, Key: MARKER_KEY }));
    return JSON.parse(await response.Body!.transformToString('utf8')) as SeedMarker;
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}
