import {
  ARTIFACT_AREAS,
  batchConflictsKey,
  conflictListKey,
  conflictsPrefix,
  evidenceHtmlKey,
  evidenceKey,
  manifestKey,
  stageManifestKey,
  mapResultsWriterPrefix,
  quarantineKey,
  quarantinePrefix,
  rehearsalReportKey,
  reportKey,
  rollbackManifestKey,
  rollbackReportKey,
  snapshotKey,
  snapshotsPrefix,
  type ArtifactArea,
} from '../../../../lambdas/lib/artifacts';

const HASH = 'f'.repeat(64);
const AREAS = Object.keys(ARTIFACT_AREAS) as ArtifactArea[];
const attempt = { runId: '2026-11-22-orders-fix', batchId: 'b0000042', attempt: 3 };

/** Every key the module builds, with the area it must land in. */
const KEYS: [string, ArtifactArea, string][] = [
  ['snapshotKey', 'snapshots', snapshotKey(attempt)],
  ['quarantineKey', 'quarantine', quarantineKey(attempt)],
  ['manifestKey', 'manifests', manifestKey({ runId: attempt.runId, planHash: HASH })],
  ['stageManifestKey', 'manifests', stageManifestKey({ runId: attempt.runId, planHash: HASH, stageName: 'wave-2' })],
  ['rollbackManifestKey', 'manifests', rollbackManifestKey({ runId: attempt.runId, sha256: HASH })],
  ['reportKey', 'reports', reportKey(attempt)],
  ['rollbackReportKey', 'reports', rollbackReportKey(attempt)],
  ['rehearsalReportKey', 'reports', rehearsalReportKey(attempt)],
  ['batchConflictsKey', 'rollbacks', batchConflictsKey(attempt)],
  ['conflictListKey', 'rollbacks', conflictListKey(attempt)],
  ['evidenceKey', 'evidence', evidenceKey({ runId: attempt.runId, stageName: 'canary' })],
  ['evidenceHtmlKey', 'evidence', evidenceHtmlKey({ runId: attempt.runId, stageName: 'wave-1' })],
];

/** A documented layout as a pattern: a hash (`<planHash>`, `<sha256>`) is hex digits, any other `<name>` is text within one path segment. */
const layoutPattern = (layout: string) =>
  new RegExp(`^${layout.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/<([A-Za-z0-9]+)>/g, (_, name: string) => (/hash|sha256/i.test(name) ? '[0-9a-f]+' : '[^/]+'))}$`);
const layoutOf = (key: string) => AREAS.flatMap((area) => ARTIFACT_AREAS[area].layouts.filter((layout) => layoutPattern(layout).test(key)));

describe('artifact keys', () => {
  it('build the documented keys', () => {
    expect(snapshotKey(attempt)).toBe('snapshots/2026-11-22-orders-fix/b0000042/attempt-3.jsonl');
    expect(quarantineKey(attempt)).toBe('quarantine/2026-11-22-orders-fix/b0000042.jsonl');
    expect(manifestKey({ runId: 'r1', planHash: HASH })).toBe(`manifests/r1/${HASH}.jsonl`);
    expect(stageManifestKey({ runId: 'r1', planHash: HASH, stageName: 'canary' })).toBe(`manifests/r1/${HASH}-canary.jsonl`);
    expect(rollbackManifestKey({ runId: 'r1', sha256: HASH })).toBe(`manifests/r1/rollback-${HASH}.jsonl`);
    expect([reportKey({ runId: 'r1' }), rollbackReportKey({ runId: 'r1' }), rehearsalReportKey({ runId: 'r1' })]).toEqual(['reports/r1/report.json', 'reports/r1/rollback.json', 'reports/r1/rollback-rehearsal.json']);
    expect([batchConflictsKey({ runId: 'r1', batchId: 'b0000001', attempt: 2 }), conflictListKey({ runId: 'r1' })]).toEqual(['rollbacks/r1/conflicts/b0000001/attempt-2.jsonl', 'rollbacks/r1/conflicts.jsonl']);
  });

  it.each(KEYS)('%s lands in the %s area, in one of its documented layouts', (_name, area, key) => {
    expect(key.startsWith(ARTIFACT_AREAS[area].prefix)).toBe(true);
    expect(layoutOf(key)).toHaveLength(1);
    expect(ARTIFACT_AREAS[area].layouts).toContain(layoutOf(key)[0]);
  });

  it('documents no layout that no key function builds (map results are written by Step Functions)', () => {
    const built = new Set(KEYS.flatMap(([, , key]) => layoutOf(key)));
    const unbuilt = AREAS.filter((area) => area !== 'mapResults').flatMap((area) => ARTIFACT_AREAS[area].layouts.filter((layout) => !built.has(layout)));
    expect(unbuilt).toEqual([]);
  });

  it('keeps each folder prefix a prefix of the keys in it', () => {
    expect(snapshotKey(attempt).startsWith(snapshotsPrefix(attempt))).toBe(true);
    expect(quarantineKey(attempt).startsWith(quarantinePrefix(attempt))).toBe(true);
    expect(batchConflictsKey(attempt).startsWith(conflictsPrefix(attempt))).toBe(true);
    expect(conflictListKey(attempt).startsWith(conflictsPrefix(attempt))).toBe(false);
  });

  it('gives the ResultWriter the map-results area without its slash', () => {
    expect(mapResultsWriterPrefix()).toBe('map-results');
    expect(`${mapResultsWriterPrefix()}/`).toBe(ARTIFACT_AREAS.mapResults.prefix);
  });

  it('keeps the areas apart: no prefix is a prefix of another', () => {
    const prefixes = AREAS.map((area) => ARTIFACT_AREAS[area].prefix);
    expect(prefixes.filter((a) => prefixes.some((b) => a !== b && b.startsWith(a)))).toEqual([]);
  });
});
