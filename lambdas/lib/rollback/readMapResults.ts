import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';

/** The Map state's output when it has a ResultWriter: where the results were exported. */
export const MapResultSchema = z.object({
  MapRunArn: z.string().min(1),
  ResultWriterDetails: z.object({ Bucket: z.string().min(1), Key: z.string().min(1) }),
});
export type MapResult = z.infer<typeof MapResultSchema>;

const ResultFileSchema = z.object({ Key: z.string().min(1), Size: z.number().optional() });
const ResultManifestSchema = z.object({
  ResultFiles: z.object({ SUCCEEDED: z.array(ResultFileSchema).default([]), FAILED: z.array(ResultFileSchema).default([]) }),
});
/** The result files a ResultWriter's `manifest.json` lists, by the children's status. */
export type ResultFiles = z.infer<typeof ResultManifestSchema>['ResultFiles'];

const ResultEntrySchema = z.object({ Output: z.string() });

/** An exported JSON object of the artifacts bucket (a ResultWriter manifest or result file), parsed. */
export async function readJsonObject(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await response.Body!.transformToString('utf8'));
}

/**
 * The files a distributed Map's ResultWriter exported, from its `manifest.json`.
 * @example
 *   const { FAILED } = await readResultFiles(s3, 'artifacts', 'map-results/<id>/manifest.json');
 */
export async function readResultFiles(s3: S3Client, bucket: string, manifestKey: string): Promise<ResultFiles> {
  return ResultManifestSchema.parse(await readJsonObject(s3, bucket, manifestKey)).ResultFiles;
}

/**
 * The outputs of a distributed Map's succeeded children, read from what its ResultWriter exported
 * (`manifest.json` → `SUCCEEDED_n.json`, each entry's `Output` a JSON string), as on AWS.
 * @example
 *   const outputs = await readMapResults(s3, { MapRunArn, ResultWriterDetails: { Bucket, Key: 'map-results/<id>/manifest.json' } });
 */
export async function readMapResults(s3: S3Client, mapResult: MapResult): Promise<unknown[]> {
  const { Bucket, Key } = mapResult.ResultWriterDetails;
  const outputs: unknown[] = [];
  for (const file of (await readResultFiles(s3, Bucket, Key)).SUCCEEDED) {
    const entries = z.array(ResultEntrySchema).parse(await readJsonObject(s3, Bucket, file.Key));
    for (const entry of entries) outputs.push(JSON.parse(entry.Output));
  }
  return outputs;
}
