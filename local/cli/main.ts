import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidSpecError } from '../../lambdas/lib/spec';
import { dumpCommand } from './commands/dumpCommand';
import { rehearseRollbackCommand } from './commands/rehearseRollbackCommand';
import { rollbackCommand } from './commands/rollbackCommand';
import { runCommand } from './commands/runCommand';
import type { CommandIo } from './commands/CommandIo';
import { RollbackFailedError, RunFailedError, UsageError } from './errors';
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
 * Exit codes: 0 done, 1 the run (or rollback) failed or was refused, 2 bad usage or an invalid spec,
 * 3 anything else, 4 a rollback finished with conflicts or a rehearsal found problems.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions | undefined;
  try {
    options = parseCliOptions(argv);
    // Handlers log JSON and emit EMF in Lambda; locally that would drown the progress bar.
    process.env.POWERTOOLS_LOG_LEVEL ??= options.verbose ? 'INFO' : 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    const io: CommandIo = {
      out: (text) => process.stdout.write(`${text}\n`),
      info: (text) => process.stderr.write(`${text}\n`),
      progressStream: process.stderr,
      codeVersion: codeVersion(),
    };
    const command = COMMANDS.find((c) => c.when(options!))!;
    return await command.run(options, io);
  } catch (error) {
    const err = error as Error;
    if (options?.debug) process.stderr.write(`${err.stack ?? err}\n`);
    if (err instanceof UsageError || err instanceof InvalidSpecError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof RunFailedError || err instanceof RollbackFailedError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${err.name}: ${err.message}${err.cause ? `\n  caused by: ${String((err.cause as Error).message ?? err.cause)}` : ''}\n`);
    return 3;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
