export { changeRatioGate, type ChangeBand, type ChangeRatioResult } from './changeRatioGate';
export { ExactSum, type ExactSumState } from './exactSum';
export { DiffSummarySchema, MAX_DIFF_SUMMARY_CHARS, type DiffSummary, type DiffSummarySample } from './DiffSummary';
export {
  GoldenDiff, DEFAULT_DIFF_SAMPLES, MAX_DIFF_SAMPLES,
  type AttributeDiff, type AttributeSample, type GoldenDiffResult, type NumericShift,
} from './GoldenDiff';
export { parseGolden, goldenKeyOf, type GoldenItem, type GoldenItems } from './parseGolden';
export {
  goldenCheck, MAX_MISMATCH_CHANGES, type GoldenChecker, type GoldenCheckResult, type GoldenMismatch, type GoldenMissing,
} from './goldenCheck';
export { EvidenceError, InvalidStageCountError, InvalidEvidenceOptionError, GoldenLineError, EvidenceUnreadableError } from './errors';
export { StageEvidenceSchema, StageUsageSchema, type StageEvidence } from './StageEvidence';
export { readStageEvidence } from './readStageEvidence';
export { renderEvidenceHtml } from './renderEvidenceHtml';
