export { buildPlan } from './buildPlan';
export { listSourceObjects, partitionDateOf, type SourceListing, type SourceObject } from './listSourceObjects';
export { PlanError, EmptyPlanError, SourceBucketNotFoundError, SourceBucketAccessDeniedError, type SourceFound } from './errors';
export { splitIntoBatches, type LineRange } from './splitIntoBatches';
export { ManifestItemSchema, batchIdOf, type ManifestItem, type PlanResult } from './ManifestItem';
