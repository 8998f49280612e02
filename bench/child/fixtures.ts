import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { LOCAL_NAMES } from '../../infra/definitions';
import { generateDemoDataset } from '../../local/demo';
import type { FaultSpec } from '../../local/faults';
import { ensureDemoSeeded } from '../../local/runtime/ensureDemoSeeded';
import { startLocalEnvironment, type LocalEnvironment } from '../../local/runtime/LocalEnvironment';
import type { SeedResult } from '../jobs';

const CODE_VERSION = 'bench';

/** Seeds the demo dataset (source objects, target items "before the fix") into a data dir, once per size. */
export async function seedFixture(dataDir: string, records: number): Promise<SeedResult> {
  const started = performance.now();
  const env = await startLocalEnvironment({ dataDir, codeVersion: CODE_VERSION });
  try {
    await ensureDemoSeeded(env.clients, records);
  } finally {
    await env.close();
  }
  return { kind: 'seed', wallMs: performance.now() - started };
}

/** Copies of one generated dataset that make up a source fixture (planning reads bytes and lines, not meaning). */
const SOURCE_COPIES = 10;

/**
 * Source objects only (planning reads nothing else): the demo dataset of `records / 10` records,
 * uploaded 10 times under `orders/copy-N/`, so a million records take seconds to seed, not minutes.
 */
export async function seedSourceFixture(dataDir: string, records: number): Promise<SeedResult> {
  const started = performance.now();
  const env = await startLocalEnvironment({ dataDir, codeVersion: CODE_VERSION });
  try {
    const dataset = generateDemoDataset({ records: Math.ceil(records / SOURCE_COPIES) });
    for (const part of dataset.parts()) {
      const name = part.key.slice(dataset.prefix.length);
      for (let copy = 0; copy < SOURCE_COPIES; copy++) {
        const key = `${dataset.prefix}copy-${copy}/${name}`;
        await env.clients.s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.sourceBucket, Key: key, Body: part.body, ContentType: 'application/x-ndjson' }));
      }
    }
  } finally {
    await env.close();
  }
  return { kind: 'seed', wallMs: performance.now() - started };
}

/** A private copy of a seeded data dir, beside it (the caller removes it). */
export function copyFixture(fixtureDir: string, prefix: string): string {
  const dataDir = mkdtempSync(join(dirname(fixtureDir), prefix));
  cpSync(fixtureDir, dataDir, { recursive: true });
  return dataDir;
}

/**
 * A private copy of a seeded data dir, opened: every measured run starts from the same state, and
 * none pays for seeding. dynalite then keeps its tables in LevelDB on disk (as `npm start --data-dir`).
 * With `faults`, the handlers' DynamoDB requests go through the fault proxy (`env.faultProxy`).
 */
export async function openFixtureCopy(fixtureDir: string, options: { readonly faults?: FaultSpec } = {}): Promise<LocalEnvironment & { dataDir: string }> {
  const dataDir = copyFixture(fixtureDir, 'run-');
  const env = await startLocalEnvironment({ dataDir, codeVersion: CODE_VERSION, ...(options.faults ? { faults: options.faults } : {}) });
  return {
    ...env,
    dataDir,
    close: async () => {
      await env.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens a data dir in place (planning only adds a ledger run and a manifest to it). */
export function openFixture(dataDir: string): Promise<LocalEnvironment> {
  return startLocalEnvironment({ dataDir, codeVersion: CODE_VERSION });
}
