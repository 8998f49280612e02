import * as fs from 'node:fs';
import * as path from 'node:path';
import { HANDLERS, handlerIdsOf, WORKFLOWS, type HandlerId, type WorkflowName } from '../../lambdas/handlers';
import { ARTIFACT_AREAS, manifestKey, mapResultsWriterPrefix, rollbackManifestKey, stageManifestKey } from '../../lambdas/lib/artifacts';
import { REPO_ROOT } from '../../infra/paths';
import { collectResources, type AslResource } from './support/asl';

// The ASL names artifacts-bucket keys the Lambda code does not build: the ResultWriter's Prefix,
// and the ItemReader's Key, a path into the state where a handler put the key it built. Both must
// agree with lambdas/lib/artifacts, or the state machine reads and writes where its role (granted
// per area) does not reach.

/**
 * The manifest keys the ItemReaders read: which handler builds and writes each, the key it builds,
 * and which handler's output carries it into the state (the producer's own, unless `carrier` says).
 */
const ITEM_READER_KEYS: Record<string, { readonly producer: HandlerId; readonly carrier?: HandlerId; readonly key: string }> = {
  '$.plan.manifestKey': { producer: 'plan', key: manifestKey({ runId: 'r1', planHash: 'a'.repeat(64) }) },
  // Plan writes each rollout stage's manifest and returns the stages; NextStage hands the current one on.
  '$.next.stage.manifestKey': { producer: 'plan', carrier: 'stages', key: stageManifestKey({ runId: 'r1', planHash: 'a'.repeat(64), stageName: 'canary' }) },
  '$.manifest.key': { producer: 'rollback-load', key: rollbackManifestKey({ runId: 'r1', sha256: 'b'.repeat(64) }) },
};

type States = Record<string, Record<string, unknown>>;
const definitionOf = (workflow: WorkflowName) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, WORKFLOWS[workflow].definitionFile), 'utf8')) as { States: States };
const ofKind = (workflow: WorkflowName, kind: AslResource['kind']) => collectResources(definitionOf(workflow)).filter((r) => r.kind === kind);

/** Where a Task puts its output: its ResultPath, or the whole state when it has none. */
const resultPathOf = (task: AslResource) => (task.state.ResultPath === undefined ? '$' : String(task.state.ResultPath));

describe.each(Object.keys(WORKFLOWS) as WorkflowName[])('the %s ASL', (workflow) => {
  it('has a distributed Map that reads a manifest and writes its results (so the checks below check something)', () => {
    expect(ofKind(workflow, 'ItemReader').length).toBeGreaterThan(0);
    expect(ofKind(workflow, 'ResultWriter').length).toBeGreaterThan(0);
  });

  it.each(ofKind(workflow, 'ResultWriter').map((r) => [r.statePath, r]))('%s writes its results to the artifacts bucket under the map-results area', (_where, writer) => {
    expect(writer.parameters).toEqual({ Bucket: '${ArtifactsBucket}', Prefix: mapResultsWriterPrefix() });
    expect(`${String(writer.parameters.Prefix)}/`).toBe(ARTIFACT_AREAS.mapResults.prefix);
  });

  it.each(ofKind(workflow, 'ItemReader').map((r) => [r.statePath, r]))('%s reads a manifest key that a handler of this workflow built in the manifests area', (_where, reader) => {
    // GIVEN the path the ItemReader takes its key from
    const keyPath = String(reader.parameters['Key.$']);
    const known = ITEM_READER_KEYS[keyPath];
    expect(known).toBeDefined();
    // THEN the handler that builds it runs in this workflow, and the one that carries it puts its output where the path points
    const producer = HANDLERS[known!.producer];
    const carrier = HANDLERS[known!.carrier ?? known!.producer];
    expect(handlerIdsOf(workflow)).toEqual(expect.arrayContaining([known!.producer, known!.carrier ?? known!.producer]));
    const tasks = collectResources(definitionOf(workflow)).filter((r) => r.kind === 'Task' && r.resource === `\${${carrier.aslPlaceholder}}`);
    expect(tasks.some((task) => keyPath.startsWith(resultPathOf(task) === '$' ? '$.' : `${resultPathOf(task)}.`))).toBe(true);
    // AND it may write that area, and the key it builds lies there
    expect(producer.grants).toContain('artifacts:manifests:write');
    expect(known!.key.startsWith(ARTIFACT_AREAS.manifests.prefix)).toBe(true);
  });
});
