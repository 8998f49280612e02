import { Command, Option } from 'commander';
import type { CliIo } from './CliIo';
import { TARGET_OPTIONS, type CommandDefinition, type OptionDefinition } from './commandTable';

/** What the command line chose: a row of the table with its arguments and options. */
export interface ParsedCommand {
  readonly definition: CommandDefinition;
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
}

const GROUP_SUMMARIES: Readonly<Record<string, string>> = {
  schedule: 'act as the stack\'s schedules would',
  local: 'the local cloud on this machine',
  breaker: 'the circuit breaker every run\'s gate checks',
};

function toOption(definition: OptionDefinition): Option {
  const option = new Option(definition.flags, definition.description);
  if (definition.required) option.makeOptionMandatory();
  if (definition.repeatable) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  return option;
}

/**
 * The commander program of the command table. Actions only record what was chosen (`onParsed`), so
 * running it, and its errors, stay outside commander.
 * @example
 *   await buildProgram(COMMANDS, io, (parsed) => (chosen = parsed)).parseAsync(['status', 'r1', '--local'], { from: 'user' });
 */
export function buildProgram(commands: readonly CommandDefinition[], io: Pick<CliIo, 'out' | 'err'>, onParsed: (parsed: ParsedCommand) => void): Command {
  const program = new Command('backfill')
    .description('Operate backfills on a deployed stack (--stack NAME) or on the local cloud (--local [DIR]) through the same AWS APIs')
    .option('--debug', 'print stack traces of errors')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (text) => io.out(text.replace(/\n$/, '')), writeErr: (text) => io.err(text.replace(/\n$/, '')) });
  // Target options belong to the program, so they go before or after the command alike
  // (`backfill --local DIR start ...`, `backfill start ... --local DIR`); commands check which they take.
  for (const option of TARGET_OPTIONS) program.addOption(toOption(option));
  const groups = new Map<string, Command>();
  for (const definition of commands) {
    const words = definition.name.split(' ');
    let parent = program;
    if (words.length === 2) {
      const group = words[0]!;
      if (!groups.has(group)) groups.set(group, program.command(group).description(GROUP_SUMMARIES[group] ?? group));
      parent = groups.get(group)!;
    }
    const command = parent.command(words[words.length - 1]!).description(definition.summary);
    for (const argument of definition.arguments ?? []) command.argument(argument);
    for (const option of definition.options ?? []) command.addOption(toOption(option));
    command.action((...actionArgs: unknown[]) => {
      const self = actionArgs[actionArgs.length - 1] as Command;
      onParsed({ definition, args: self.processedArgs as string[], options: self.optsWithGlobals() });
    });
  }
  return program;
}
