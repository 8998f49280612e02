import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { EvidenceUnreadableError } from './errors';
import { StageEvidenceSchema, type StageEvidence } from './StageEvidence';

/**
 * Reads a stage's evidence from the artifacts bucket and checks it against its schema.
 *
 * @throws EvidenceUnreadableError naming the object and the problem (missing, not JSON, not evidence).
 * @example
 *   const evidence = await readStageEvidence(s3, deps.artifactsBucket, evidenceKey({ runId, stageName: 'canary' }));
 *   evidence.passed; // the gate's verdict
 */
export async function readStageEvidence(s3: S3Client, bucket: string, key: string): Promise<StageEvidence> {
  let text: string;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = await response.Body!.transformToString('utf8');
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') throw new EvidenceUnreadableError(bucket, key, 'no such object', { cause: error });
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EvidenceUnreadableError(bucket, key, `not JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = StageEvidenceSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(object)'}: ${issue.message}`).join('; ');
    throw new EvidenceUnreadableError(bucket, key, `not stage evidence (${issues})`, { cause: parsed.error });
  }
  return parsed.data;
}
