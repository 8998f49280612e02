import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Deps } from '../../lambdas/lib/runtime/Deps';

/**
 * A JSON object of the artifacts bucket; undefined when there is no such key.
 * @example
 *   const report = await readJsonArtifact(deps, reportKey({ runId }));
 */
export async function readJsonArtifact(deps: Pick<Deps, 'clients' | 'artifactsBucket'>, key: string): Promise<Record<string, unknown> | undefined> {
  try {
    const { Body } = await deps.clients.s3.send(new GetObjectCommand({ Bucket: deps.artifactsBucket, Key: key }));
    return JSON.parse(await Body!.transformToString('utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}
