import type { ClientConfigOverrides } from './target';

/** Where a command writes and what it may know of its surroundings; tests pass their own. */
export interface CliIo {
  /** Results: stdout. */
  out(text: string): void;
  /** Notes, progress lines and errors: stderr. */
  err(text: string): void;
  /** stderr is a terminal: live bars and colours only then. */
  readonly isTty: boolean;
  /** Where a live bar draws (stderr). */
  readonly progressStream: NodeJS.WritableStream;
  /** The folder relative paths (`--spec FILE`, `--local DIR`, cdk.json) are read from. */
  readonly cwd: string;
  /** Aborted on Ctrl-C: `watch` stops watching (the run goes on). */
  readonly signal?: AbortSignal;
  /** How often `watch` polls. @default 1000 */
  readonly pollMs?: number;
  /** How long `stop` waits for the status-change rule to mark the run STOPPED. @default 60000 */
  readonly runMarkedDeadlineMs?: number;
  /** Extra AWS client settings (tests: emulators and a recording server). */
  readonly clientOverrides?: ClientConfigOverrides;
}
