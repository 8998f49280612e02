import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../lambdas/lib/runtime/Clock';

/** `20261201T134128Z`: sorts by time; the sequence number after it orders the messages of one second. */
const compactTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Writes one message file into an outbox folder; `errorOf` names what could not be written. */
export interface OutboxWriter {
  /** Writes `DIR/<time>-<seq>-<suffix>.json` holding `content` as JSON, whole; returns its path. */
  write(suffix: string, content: unknown): string;
}

export interface OutboxWriterOptions {
  /** The outbox folder (created when missing). */
  readonly directory: string;
  readonly clock: Clock;
  /** Reads the sequence number of a file this writer wrote (group 1), so a later process continues after it. */
  readonly sequenceOf: RegExp;
  /** The error a failed write throws (publish rejects, as SNS would): the path, and why. */
  readonly errorOf: (path: string, cause: unknown) => Error;
}

/**
 * The local stand-in for an SNS topic's delivery: each message becomes a file written whole (a temp
 * file renamed into place), named by time and a sequence that continues from the files already there.
 *
 * @example
 *   const outbox = outboxWriter({ directory, clock, sequenceOf: /^\d{8}T\d{6}Z-(\d+)-operations\.json$/, errorOf: (path, cause) => new OperationsOutboxWriteError(path, { cause }) });
 *   outbox.write('operations', publishInput); // '<dir>/20261201T134128Z-000001-operations.json'
 */
export function outboxWriter(options: OutboxWriterOptions): OutboxWriter {
  let sequence: number | undefined;
  const nextSequence = (): number => {
    sequence ??= Math.max(0, ...readdirSync(options.directory).map((name) => Number(options.sequenceOf.exec(name)?.[1] ?? 0)));
    return ++sequence;
  };
  return {
    write(suffix, content) {
      try {
        mkdirSync(options.directory, { recursive: true });
      } catch (error) {
        throw options.errorOf(options.directory, error);
      }
      const name = `${compactTime(options.clock.nowMs())}-${String(nextSequence()).padStart(6, '0')}-${suffix}.json`;
      const file = join(options.directory, name);
      const temp = join(options.directory, `.${name}.tmp`);
      try {
        writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`);
        renameSync(temp, file);
      } catch (error) {
        rmSync(temp, { force: true });
        throw options.errorOf(file, error);
      }
      return file;
    },
  };
}
