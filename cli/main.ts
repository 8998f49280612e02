import { CommanderError } from 'commander';
import { buildProgram, type ParsedCommand } from './buildProgram';
import type { CliIo } from './CliIo';
import { COMMANDS } from './commands';
import type { CommandDefinition } from './commandTable';
import { EXIT } from './errors';
import { describeError } from './printError';
import { DEFAULT_LOCAL_DATA_DIR, resolveTarget, type Target } from './target';

/**
 * Runs `backfill` with `argv` (without node and script); returns the exit code. Every error ends here:
 * one message saying what to do, its stack only with --debug. Exit codes: 0 done, 1 the run or
 * rollback failed, 2 bad usage or input, 3 the target cannot be reached or refused, 4 finished with
 * failures or conflicts, 5 the run was stopped, 130 Ctrl-C while waiting.
 * @example
 *   const code = await main(['status', 'orders-fix-1', '--local'], io);
 */
export async function main(argv: readonly string[], io: CliIo, commands: readonly CommandDefinition[] = COMMANDS): Promise<number> {
  let parsed: ParsedCommand | undefined;
  const program = buildProgram(commands, io, (p) => (parsed = p));
  try {
    await program.parseAsync(withLocalDirBeforeCommand(argv, commands), { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // commander has printed its message (or the help) already.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
  }
  if (!parsed) return EXIT.usage;
  const debug = program.opts().debug === true;
  const chosen: ParsedCommand = parsed;
  const refused = targetOptionRefused(chosen);
  if (refused) {
    io.err(`error: ${refused}`);
    return EXIT.usage;
  }
  let target: Promise<Target> | undefined;
  try {
    return await chosen.definition.run({
      args: chosen.args,
      options: chosen.options,
      io,
      target: () => (target ??= resolveTarget(chosen.options, { cwd: io.cwd, overrides: io.clientOverrides })),
    });
  } catch (error) {
    if (debug && error instanceof Error) io.err(error.stack ?? String(error));
    const described = describeError(error);
    io.err(`error: ${described.message}`);
    return described.exitCode;
  } finally {
    if (target) await target.then((t) => t.close()).catch(() => undefined);
  }
}

/**
 * `backfill --local start ...`: an option with an optional value would take the command as its DIR;
 * a bare `--local` right before a command means the default dir, so it is given explicitly.
 */
function withLocalDirBeforeCommand(argv: readonly string[], commands: readonly CommandDefinition[]): string[] {
  const names = new Set(commands.map((c) => c.name.split(' ')[0]!));
  return argv.flatMap((arg, i) => (arg === '--local' && names.has(argv[i + 1] ?? '') ? [arg, DEFAULT_LOCAL_DATA_DIR] : [arg]));
}

/** Why the command does not take the target options given, if it does not. */
function targetOptionRefused({ definition, options }: ParsedCommand): string | undefined {
  const given = ['local', 'stack', 'region', 'profile'].filter((name) => options[name] !== undefined);
  if (definition.target === 'none' && given.length > 0) return `${definition.name} takes no --${given[0]}: it acts on this machine only`;
  if (definition.target === 'local' && options.stack !== undefined) return `${definition.name} reads the local cloud only (--local [DIR]); on AWS use the AWS console or CLI`;
  return undefined;
}

/** The process's io: results on stdout, notes and progress on stderr, Ctrl-C stops waiting. */
function processIo(): CliIo {
  const interrupt = new AbortController();
  // The first Ctrl-C ends the waiting of `watch` and `rollback`; a second one stops at once (the
  // listener is gone by then). `local up` listens itself and shuts down cleanly.
  process.once('SIGINT', () => interrupt.abort());
  return {
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void (process.stderr.destroyed || process.stderr.write(`${text}\n`)),
    isTty: process.stderr.isTTY === true,
    progressStream: process.stderr,
    cwd: process.cwd(),
    signal: interrupt.signal,
  };
}

/** A closed pipe: the reader went away (`| head -1`); a write to a stream already closed is dropped. */
const isClosedPipe = (error: NodeJS.ErrnoException): boolean => error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';

/**
 * A reader of the results that stops early (`backfill list | head -1`) closes stdout: exit quietly
 * (0) as `head` asked, not with an unhandled EPIPE and its stack trace.
 */
function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (!isClosedPipe(error)) throw error;
    process.exit(EXIT.ok);
  });
}

/**
 * A reader of the notes and progress that stops early (`2>&1 | head -2`) closes stderr: that must not
 * stop a command that is acting (start, stop, rollback, watch); nothing more is written there.
 */
function ignoreClosedStderr(): void {
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (!isClosedPipe(error)) throw error;
  });
}

if (require.main === module) {
  exitQuietlyOnClosedStdout();
  ignoreClosedStderr();
  // Handlers run in this process for nothing; keep their loggers quiet if a domain function logs.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  main(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
