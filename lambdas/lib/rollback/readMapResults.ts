import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';

/** The Map state's output when it has a ResultWriter: where the results were exported. */
export const MapResultSchema = z.object({
  MapRunArn: z.string().min(1),
  ResultWriterDetails: z.object({ Bucket: z.string().min(1), Key: z.string().min(1) }),
});
export type MapResult = z.infer<typeof MapResultSchema>;

const ResultManifestSchema = z.object({
  ResultFiles: z.object({ SUCCEEDED: z.array(z.object({ Key: z.string() })).default([]) }),
});
const ResultEntrySchema = z.object({ Output: z.string() });

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await response.Body!.transformToString('utf8'));
}

/**
 * The outputs of a distributed Map's succeeded children, read from what its ResultWriter exported
 * (`manifest.json` → `SUCCEEDED_n.json`, each entry's `Output` a JSON string), as on AWS.
 * @example
 *   const outputs = await readMapResults(s3, { MapRunArn, ResultWriterDetails: { Bucket, Key: 'map-results/<id>/manifest.json' } });
 */
export async function readMapResults(s3: S3Client, mapResult: MapResult): Promise<unknown[]> {
  const { Bucket, Key } = mapResult.ResultWriterDetails;
  const manifest = ResultManifestSchema.parse(await readJson(s3, Bucket, Key));
  const outputs: unknown[] = [];
  for (const file of manifest.ResultFiles.SUCCEEDED) {
    const entries = z.array(ResultEntrySchema).parse(await readJson(s3, Bucket, file.Key));
    for (const entry of entries) outputs.push(JSON.parse(entry.Output));
  }
  return outputs;
}
