import { writeSync } from 'node:fs';
import { Server, type IncomingMessage } from 'node:http';

/**
 * Where a CLI child process freezes (see {@link startCli}'s `freezeAt`): when it writes a stderr
 * chunk matching `stderr` (its progress output), or when one of its in-process emulators receives
 * a request whose `METHOD /path` matches `request`. Patterns are regular-expression sources.
 */
export type FreezePoint = { readonly stderr: string } | { readonly request: string };

/** The environment variable that carries the {@link FreezePoint} (JSON) into the child. */
export const FREEZE_AT_ENV = 'BACKFILL_TEST_FREEZE_AT';
/** What the child writes to stderr once frozen; the test then sends SIGKILL. */
export const FROZEN_MARKER = '[test] frozen';

// Loaded into the CLI child with `node --import` by startCli; a no-op anywhere else.
const raw = process.env[FREEZE_AT_ENV];
if (raw) installFreeze(JSON.parse(raw) as FreezePoint);

/**
 * Why: a SIGKILL sent "a little after" something lands wherever the process happens to be. Freezing
 * the whole process first (main thread blocked, so its in-process dynalite and s3rver stop too)
 * pins the moment: nothing more reaches the data dir until the kill, so the test knows where it
 * landed. Writes already handed to the OS or LevelDB's threads still complete, as on a real kill.
 */
function installFreeze(point: FreezePoint): void {
  const freeze = (reason: string): void => {
    writeSync(2, `\n${FROZEN_MARKER} ${reason}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  };
  if ('stderr' in point) {
    const pattern = new RegExp(point.stderr);
    const write = process.stderr.write.bind(process.stderr) as (chunk: unknown, ...rest: unknown[]) => boolean;
    process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
      const written = write(chunk, ...rest);
      const text = String(chunk);
      if (pattern.test(text)) freeze(`after writing ${JSON.stringify(text.trim())}`);
      return written;
    }) as typeof process.stderr.write;
  } else {
    const pattern = new RegExp(point.request);
    const emit = Server.prototype.emit as (this: Server, event: string, ...args: unknown[]) => boolean;
    Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]): boolean {
      if (event === 'request') {
        const request = args[0] as IncomingMessage;
        const line = `${request.method} ${request.url}`;
        if (pattern.test(line)) freeze(`on receiving ${line}`);
      }
      return emit.call(this, event, ...args);
    } as typeof Server.prototype.emit;
  }
}
