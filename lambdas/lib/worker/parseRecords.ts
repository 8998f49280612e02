import type { Transform } from '../../transforms/Transform';
import { InexactNumberError, parseJsonExact } from '../json';
import type { SourceLine } from './readBatchLines';

export interface ParsedRecord<In> {
  readonly line: number;
  readonly record: In;
  /** The line as read, cut to {@link RAW_LIMIT}: for the quarantine, should its output be bad. */
  readonly raw: string;
}

/** A source line the transform cannot take, with the reason; quarantined, never silently dropped. */
export interface MalformedRecord {
  readonly line: number;
  readonly reason: string;
  /** The line as read, cut to 1 KiB. */
  readonly raw: string;
}

/** Characters of a line a quarantine entry keeps. */
export const RAW_LIMIT = 1024;

/** Parses each line as JSON and validates it with the transform's input schema. */
export function parseRecords<In>(lines: readonly SourceLine[], transform: Transform<In>): { valid: ParsedRecord<In>[]; malformed: MalformedRecord[] } {
  const valid: ParsedRecord<In>[] = [];
  const malformed: MalformedRecord[] = [];
  for (const { line, text } of lines) {
    let json: unknown;
    try {
      json = parseJsonExact(text);
    } catch (error) {
      const reason = error instanceof InexactNumberError ? error.message : `not valid JSON: ${(error as Error).message}`;
      malformed.push({ line, reason, raw: text.slice(0, RAW_LIMIT) });
      continue;
    }
    const parsed = transform.inputSchema.safeParse(json);
    if (parsed.success) {
      valid.push({ line, record: parsed.data, raw: text.slice(0, RAW_LIMIT) });
    } else {
      const reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
      malformed.push({ line, reason: `does not match ${transform.name}@${transform.version} input: ${reason}`, raw: text.slice(0, RAW_LIMIT) });
    }
  }
  return { valid, malformed };
}
