import type { CliIo } from './CliIo';
import type { Target } from './target';

/** What a command gets: its parsed arguments and options, where to write, and its target (resolved on first use). */
export interface CommandInput {
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly io: CliIo;
  /** The target `--local [DIR]` / `--stack NAME` names; closed by the caller after the command. */
  target(): Promise<Target>;
}

export interface OptionDefinition {
  /** commander flags, e.g. `--spec <file>`, `--local [dir]`. */
  readonly flags: string;
  readonly description: string;
  readonly required?: boolean;
  /** An option that may be given several times (`--key k=v --key k2=v2`). */
  readonly repeatable?: boolean;
}

/** One row of the command table: what `backfill <name>` takes and which file runs it. */
export interface CommandDefinition {
  /** `start`, or a group and a command: `schedule fire`, `local up`. */
  readonly name: string;
  readonly summary: string;
  /** commander argument syntax: `<run>`, `<table>`. */
  readonly arguments?: readonly string[];
  readonly options?: readonly OptionDefinition[];
  /** `any`: --local or --stack; `local`: --local only; `none`: no target options. */
  readonly target: 'any' | 'local' | 'none';
  /** Runs the command; returns the exit code. */
  run(input: CommandInput): Promise<number>;
}

/** Target options every targeted command takes. */
export const TARGET_OPTIONS: readonly OptionDefinition[] = [
  { flags: '--local [dir]', description: 'act on the `backfill local up` of DIR (reads DIR/endpoints.json; default .backfill-local)' },
  { flags: '--stack <name>', description: 'act on the deployed stack NAME (its outputs name the state machines, ledger and buckets)' },
  { flags: '--region <region>', description: 'with --stack: the AWS region (default: the SDK\'s, e.g. AWS_REGION)' },
  { flags: '--profile <profile>', description: 'with --stack: a profile of ~/.aws/config (default: the SDK\'s credential chain)' },
];

export const JSON_OPTION: OptionDefinition = { flags: '--json', description: 'print one JSON object on stdout' };
