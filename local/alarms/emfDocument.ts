import { z } from 'zod';
import { EmfDocumentError } from './errors';

/**
 * The CloudWatch Embedded Metric Format, as CloudWatch Logs ingests it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * the `_aws` metadata names the metrics and their dimension sets; the values are root members.
 */
export const EmfDocumentSchema = z.looseObject({
  _aws: z.object({
    Timestamp: z.number().int().nonnegative(),
    CloudWatchMetrics: z
      .array(
        z.object({
          Namespace: z.string().min(1).max(1024),
          Dimensions: z.array(z.array(z.string().min(1)).max(30)),
          Metrics: z.array(z.object({ Name: z.string().min(1).max(1024), Unit: z.string().optional(), StorageResolution: z.union([z.literal(1), z.literal(60)]).optional() })).max(100),
        }),
      )
      .min(1),
  }),
});

/** One metric's values of one EMF flush, for one dimension set. */
export interface EmfDatapoint {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timestampMs: number;
  /** Each value is one sample (Powertools writes the values of one name added several times as an array). */
  readonly values: readonly number[];
  /** StorageResolution 1: kept to the second; else CloudWatch keeps the metric per minute. */
  readonly highResolution: boolean;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * The datapoints one EMF document carries: every metric once per dimension set (a metric with no
 * dimension set is one series without dimensions).
 * @throws EmfDocumentError naming every problem (a value that is not a number, a dimension that is not a string, ...)
 * @example
 *   datapointsOfEmf({ _aws: { Timestamp: 1764590400000, CloudWatchMetrics: [{ Namespace: 'Backfill', Dimensions: [['service']], Metrics: [{ Name: 'BatchesFailed', Unit: 'Count', StorageResolution: 1 }] }] }, service: 'worker', BatchesFailed: 1 });
 *   // [{ namespace: 'Backfill', metricName: 'BatchesFailed', dimensions: { service: 'worker' }, timestampMs: 1764590400000, values: [1], highResolution: true }]
 */
export function datapointsOfEmf(document: unknown): EmfDatapoint[] {
  const parsed = EmfDocumentSchema.safeParse(document);
  if (!parsed.success) throw new EmfDocumentError(parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`));
  const members = parsed.data as Record<string, unknown>;
  const problems: string[] = [];
  const datapoints: EmfDatapoint[] = [];
  for (const directive of parsed.data._aws.CloudWatchMetrics) {
    const dimensionSets = directive.Dimensions.length > 0 ? directive.Dimensions : [[]];
    for (const metric of directive.Metrics) {
      const raw = members[metric.Name];
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0 || !values.every(isNumber)) {
        problems.push(`${metric.Name}: the value must be a number or an array of numbers, got ${JSON.stringify(raw)}`);
        continue;
      }
      for (const set of dimensionSets) {
        const dimensions: Record<string, string> = {};
        for (const key of set) {
          const value = members[key];
          if (typeof value === 'string' && value.length > 0) dimensions[key] = value;
          else problems.push(`dimension ${key} of ${metric.Name}: the value must be a non-empty string, got ${JSON.stringify(value)}`);
        }
        datapoints.push({
          namespace: directive.Namespace,
          metricName: metric.Name,
          dimensions,
          timestampMs: parsed.data._aws.Timestamp,
          values: values as number[],
          highResolution: metric.StorageResolution === 1,
        });
      }
    }
  }
  if (problems.length > 0) throw new EmfDocumentError(problems);
  return datapoints;
}
