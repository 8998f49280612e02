export { buildPlan } from './buildPlan';
export { listSourceObjects, partitionDateOf, type SourceObject } from './listSourceObjects';
export { splitIntoBatches, type LineRange } from './splitIntoBatches';
export { ManifestItemSchema, batchIdOf, type ManifestItem, type PlanResult } from './ManifestItem';
