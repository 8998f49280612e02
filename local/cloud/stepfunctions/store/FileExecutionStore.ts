import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateDirUnreadableError } from '../errors';
import { ExecutionRecordSchema, StoredHistoryEventSchema, type ExecutionRecord, type StoredHistoryEvent } from '../model/ExecutionRecord';
import type { ExecutionStore, StoredExecution } from './ExecutionStore';

const RECORD_FILE = 'record.json';
const HISTORY_FILE = 'history.jsonl';

/**
 * Keeps each execution in `<stateDir>/executions/<seq>/`: `record.json` (replaced by write-to-temp
 * and rename, so it is always whole) and `history.jsonl` (one event per line, appended). A line
 * torn by a crash is the last one: it is dropped on load.
 * @example
 *   const store = new FileExecutionStore('.backfill-local/stepfunctions');
 *   for (const { record, history } of store.load()) console.log(record.name, record.status, history.length);
 */
export class FileExecutionStore implements ExecutionStore {
  private readonly root: string;

  constructor(stateDir: string) {
    this.root = join(stateDir, 'executions');
    mkdirSync(this.root, { recursive: true });
  }

  load(): StoredExecution[] {
    return readdirSync(this.root)
      .filter((entry) => /^\d+$/.test(entry) && existsSync(join(this.root, entry, RECORD_FILE)))
      .sort()
      .map((entry) => this.loadOne(join(this.root, entry)));
  }

  saveRecord(record: ExecutionRecord): void {
    const folder = this.folderOf(record);
    mkdirSync(folder, { recursive: true });
    writeAtomically(join(folder, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  }

  appendEvent(record: ExecutionRecord, event: StoredHistoryEvent): void {
    appendFileSync(join(this.folderOf(record), HISTORY_FILE), `${JSON.stringify(event)}\n`);
  }

  private folderOf(record: ExecutionRecord): string {
    return join(this.root, String(record.seq).padStart(8, '0'));
  }

  private loadOne(folder: string): StoredExecution {
    const recordPath = join(folder, RECORD_FILE);
    const parsed = ExecutionRecordSchema.safeParse(readJson(recordPath, readFileSync(recordPath, 'utf8')));
    if (!parsed.success) throw new StateDirUnreadableError(recordPath, `is not an execution record (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    return { record: parsed.data, history: this.loadHistory(join(folder, HISTORY_FILE)) };
  }

  private loadHistory(path: string): StoredHistoryEvent[] {
    if (!existsSync(path)) return [];
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    // The text after the last newline: '' when the file is whole, a torn event after a crash mid-append.
    const complete = lines.slice(0, -1);
    const torn = lines.at(-1);
    const events = complete.map((line, index) => {
      const parsed = StoredHistoryEventSchema.safeParse(readJson(`${path} line ${index + 1}`, line));
      if (!parsed.success) throw new StateDirUnreadableError(`${path} line ${index + 1}`, 'is not a history event');
      return parsed.data;
    });
    // A crash in the middle of an append leaves a partial last line: rewrite the file without it.
    if (torn) writeAtomically(path, complete.map((line) => `${line}\n`).join(''));
    return events;
  }
}

function readJson(where: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StateDirUnreadableError(where, 'is not JSON', { cause: error });
  }
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
