import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidSpecError } from '../../lambdas/lib/spec';
import { dumpCommand } from './commands/dumpCommand';
import { rehearseRollbackCommand } from './commands/rehearseRollbackCommand';
import { rollbackCommand } from './commands/rollbackCommand';
import { runCommand } from './commands/runCommand';
import type { CommandIo } from './commands/CommandIo';
import { DataDirLockedError, DataDirUnusableError } from '../emulators/errors';
import { MissingLocalResourceError } from '../runtime/errors';
import { RollbackFailedError, RunFailedError, RunPausedError, RunRefusedError, StoppedByOperatorError, UsageError } from './errors';
import { parseCliOptions, USAGE, type CliOptions } from './options';

/** The command table: the first entry whose `when` matches runs. */
const COMMANDS: ReadonlyArray<{ name: string; when: (o: CliOptions) => boolean; run: (o: CliOptions, io: CommandIo) => Promise<number> }> = [
  { name: 'help', when: (o) => o.help, run: async (_o, io) => (io.out(USAGE), 0) },
  { name: 'dump', when: (o) => o.dump !== undefined, run: dumpCommand },
  { name: 'rollback', when: (o) => o.rollback !== undefined, run: rollbackCommand },
  { name: 'rehearse-rollback', when: (o) => o.rehearseRollback !== undefined, run: rehearseRollbackCommand },
  { name: 'run', when: () => true, run: runCommand },
];

function codeVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Exit codes: 0 done, 1 the run (or rollback) failed or was refused, 2 bad usage, an invalid spec,
 * an unusable data dir or a spec naming a table or bucket that does not exist, 3 anything else,
 * 4 a rollback finished with conflicts or a rehearsal found problems, 5 the run paused and waits for
 * an operator (the breaker opened, failures passed the tolerance, or someone paused it), 130 stopped by Ctrl-C.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions | undefined;
  try {
    options = parseCliOptions(argv);
    // Handlers log JSON in Lambda; locally that would drown the progress bar (their EMF is captured for the local alarms).
    process.env.POWERTOOLS_LOG_LEVEL ??= options.verbose ? 'INFO' : 'SILENT';
    const io: CommandIo = {
      out: (text) => process.stdout.write(`${text}\n`),
      info: (text) => void (process.stderr.destroyed || process.stderr.write(`${text}\n`)),
      progressStream: process.stderr,
      codeVersion: codeVersion(),
    };
    const command = COMMANDS.find((c) => c.when(options!))!;
    return await command.run(options, io);
  } catch (error) {
    const err = error as Error;
    if (options?.debug) process.stderr.write(`${err.stack ?? err}\n`);
    if (err instanceof UsageError || err instanceof InvalidSpecError || err instanceof DataDirUnusableError || err instanceof MissingLocalResourceError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 3;
    }
    if (err instanceof StoppedByOperatorError) {
      process.stderr.write(`${err.message}\n`);
      return 130;
    }
    if (err instanceof RunPausedError) {
      process.stderr.write(`${err.message}\n`);
      return 5;
    }
    if (err instanceof RunFailedError || err instanceof RunRefusedError || err instanceof RollbackFailedError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${err.name}: ${err.message}${err.cause ? `\n  caused by: ${String((err.cause as Error).message ?? err.cause)}` : ''}\n`);
    return 3;
  }
}

/**
 * A reader that stops early (`--dump ... | head`) closes the pipe: that is the reader's choice, not
 * a failure, so the process ends quietly instead of with an EPIPE stack trace.
 */
function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

/**
 * A reader of the notes and progress that stops early (`2>&1 | head -2`) closes stderr: that must
 * not stop the run, which goes on and finishes; nothing more is written there (a closed stream
 * drops further writes). The report still goes to stdout.
 */
function ignoreClosedStderr(): void {
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

if (require.main === module) {
  exitQuietlyOnClosedStdout();
  ignoreClosedStderr();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
