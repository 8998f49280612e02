import { BackfillConfigError } from '../errors';

/** One field of one entry of the `schedules` setting that is wrong. */
export interface ScheduleProblem {
  /** The schedule's name, or `schedules[<index>]` when it has no usable name. */
  readonly schedule: string;
  /** The entry's field at fault, e.g. `expression`, `specFile`; empty when the entry itself is wrong (not an object). */
  readonly field: string;
  /** What is wrong with it and the value seen, e.g. `must be … got "rate(5)"`. */
  readonly message: string;
  /** The entry's position in the list and how the message names it, e.g. `schedules[0] "nightly-orders"`. */
  readonly where: string;
}

/** The `schedules` setting (cdk.json context) is invalid: `problems` names every bad field of every entry, and fails `cdk synth`. */
export class InvalidSchedulesError extends BackfillConfigError {
  readonly problems: readonly ScheduleProblem[];

  constructor(problems: readonly ScheduleProblem[], options?: { cause?: unknown }) {
    super(
      'schedules',
      `is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix them in cdk.json context "schedules":\n` +
        problems.map((p) => `  - ${p.where}${p.field === '' ? '' : `.${p.field}`}: ${p.message}`).join('\n'),
      options,
    );
    this.name = 'InvalidSchedulesError';
    this.problems = problems;
  }
}

/** A value given for a Scheduler context attribute (`backfill schedule fire`) is not one Scheduler would send. */
export class SchedulerContextError extends Error {
  /** The context attribute at fault, e.g. `scheduledTime`, or the placeholder found in the input. */
  readonly attribute: string;

  constructor(attribute: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchedulerContextError';
    this.attribute = attribute;
  }
}
