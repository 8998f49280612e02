export {
  generateDemoDataset,
  DEFAULT_DEMO_SEED,
  type GenerateDemoDatasetOptions,
  type DemoDataset,
  type DemoPart,
  type CollectedDemoDataset,
} from './generateDemoDataset';
export { addDemoStats, emptyDemoStats, type DemoStats } from './DemoStats';
export { seedDemo, type SeedDemoOptions, type SeedDemoProgress, type SeedDemoResult } from './seedDemo';
export { batchWriteAll, type BatchWriteAllOptions, type WriteRequest } from './batchWrite';
export { DEMO_FIRST_DAY, DEMO_DAYS, type DemoObjectLayout } from './layout';
export { MALFORMED_KINDS, type MalformedKind } from './orderEvents';
export { DemoError, InvalidDemoOptionError, BatchWriteIncompleteError } from './errors';
