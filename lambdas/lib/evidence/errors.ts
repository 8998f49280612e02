import { describeValue } from '../text/describeValue';

/** Base class of stage-evidence errors. */
export class EvidenceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvidenceError';
  }
}

/** A stage count the change-ratio gate was given is not a whole number of zero or more. */
export class InvalidStageCountError extends EvidenceError {
  constructor(
    readonly count: string,
    readonly value: unknown,
    options?: { cause?: unknown },
  ) {
    super(`counts.${count} must be a whole number of 0 or more, got ${describeValue(value)}; pass the stage's summed BatchCounts`, options);
    this.name = 'InvalidStageCountError';
  }
}

/** An evidence accumulator was given an option it cannot work with (a programming or configuration error). */
export class InvalidEvidenceOptionError extends EvidenceError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    rule: string,
    options?: { cause?: unknown },
  ) {
    super(`${option} must be ${rule}, got ${describeValue(value)}; pass ${option} within that range`, options);
    this.name = 'InvalidEvidenceOptionError';
  }
}

/** One line of the golden JSONL cannot be used; `line` is 1-based, as an editor shows it. */
export class GoldenLineError extends EvidenceError {
  constructor(
    readonly line: number,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`golden line ${line}: ${problem}; fix that line of the golden file (one JSON object per line)`, options);
    this.name = 'GoldenLineError';
  }
}

/** A stage's evidence object is missing, not JSON, or not of the evidence schema. */
export class EvidenceUnreadableError extends EvidenceError {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`the stage evidence s3://${bucket}/${key} cannot be read: ${problem}; re-run ValidateStage for that stage (resume the run) to write it again`, options);
    this.name = 'EvidenceUnreadableError';
  }
}
