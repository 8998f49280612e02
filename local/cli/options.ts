import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FaultSpecError, parseFaultSpec, type FaultSpec } from '../faults';
import { UsageError } from './errors';

export interface CliOptions {
  readonly records: number;
  readonly dataDir?: string;
  readonly specFile: string;
  readonly runId?: string;
  readonly json: boolean;
  readonly seedOnly: boolean;
  readonly dump?: string;
  /** `--rollback RUN_ID`: roll the run back from its snapshots. */
  readonly rollback?: string;
  /** `--rehearse-rollback RUN_ID`: check the run's rollback without writing. */
  readonly rehearseRollback?: string;
  /** `--force`: roll back a run still marked RUNNING. */
  readonly force: boolean;
  /** `--keep-newer-run-writes`: roll back a run later runs wrote over, leaving their items as they are. */
  readonly keepNewerRunWrites: boolean;
  /** `--approval auto|manual`: who decides a stage the spec's `approval` gates. */
  readonly approval: ApprovalMode;
  /** `--inject-faults SPEC`: faults for the handlers' target-table requests, through a fault proxy in front of DynamoDB. */
  readonly faults?: FaultSpec;
  readonly verbose: boolean;
  readonly debug: boolean;
  readonly help: boolean;
}

/** `auto`: npm start approves through the real link as the link's approver; `manual`: it prints the links and waits for a person. */
export type ApprovalMode = 'auto' | 'manual';
const APPROVAL_MODES: readonly ApprovalMode[] = ['auto', 'manual'];

/** The staged demo: a canary, waves, a change band and one approver, whom npm start stands in for unless --approval manual. */
export const DEFAULT_SPEC_FILE = 'examples/orders-staged-spec.json';
export const DEFAULT_RECORDS = 20_000;

export const USAGE = `Usage: npm start -- [options]

Runs a real backfill on this machine: DynamoDB and S3 emulators on loopback, the demo dataset,
statemachines/backfill.asl.json through the local Step Functions engine, the real handler code.

Options:
  --records N        demo source records to generate, digits only (default ${DEFAULT_RECORDS})
  --data-dir DIR     keep emulator state in DIR; re-running the same command resumes the run,
                     taking over at once the batches a killed earlier process held; one process
                     at a time per DIR (default: in memory, discarded at exit)
  --spec FILE        the execution input to run (default ${DEFAULT_SPEC_FILE})
  --run-id ID        the run's name (default: <jobName>-<first 12 hex of the spec hash>)
  --approval MODE    a spec with \`approval\` waits after its canary for the approvers' decision:
                     auto (default) approves through the real approval page (GET the link, POST
                     its form) as each link's approver, so the demo runs unattended; manual prints
                     the links (approval link (<approver>): <url>) and waits for a person
  --inject-faults SPEC
                     send the handlers' DynamoDB requests through a fault proxy that injects faults
                     into those naming a target table (never the ledger's): throttle=SHARE answered
                     with DynamoDB's throttling error, errors=SHARE with a 500, latency=50ms added,
                     seed=N for other draws; e.g. throttle=0.2,latency=50ms,errors=0.01
  --json             print the final report as one JSON object on stdout
  --seed-only        generate the demo data into --data-dir and exit (refused without --data-dir:
                     an in-memory dataset would be discarded at exit)
  --dump TABLE       print a local table's items as sorted JSONL and exit (needs the --data-dir of
                     an earlier run; a data dir that does not exist is an error)
  --rollback RUN_ID  roll a run kept in --data-dir back to its pre-run state from its snapshots,
                     through statemachines/rollback.asl.json; items changed since by live traffic
                     are left alone and listed as conflicts. Run it again after a crash to resume
  --force            with --rollback: roll back a run still marked RUNNING (its process was killed);
                     with --rehearse-rollback: rehearse that forced rollback
  --keep-newer-run-writes
                     with --rollback: roll back a run even though later runs wrote over some of its
                     items; those are left as the later run wrote them, listed as conflicts
  --rehearse-rollback RUN_ID
                     check a rollback without writing: the run's status allows it (a RUNNING run
                     needs --force); every snapshot exists, matches its checksum, parses; how many items would be restored, deleted or are in conflict; how long
  --verbose          print the handlers' JSON logs
  --debug            print stack traces of errors
  -h, --help         this text`;

/**
 * Commands that read what an earlier run kept need its data dir: one that does not exist (a typo)
 * would otherwise be created empty and read as "nothing there", exit 0.
 */
function requireKeptState(option: string, dataDir: string): void {
  if (!existsSync(dataDir)) throw new UsageError(`${option} reads the state an earlier run kept, but the data dir ${dataDir} does not exist; give the --data-dir of that run`);
  if (!existsSync(join(dataDir, 'dynamodb'))) {
    throw new UsageError(`${option} reads the state an earlier run kept, but ${dataDir} holds none (no dynamodb/ folder in it); give the --data-dir of that run`);
  }
}

/** Options that each make the CLI do one thing instead of a run: two of them would drop one silently. */
const ACTIONS = ['dump', 'rollback', 'rehearse-rollback', 'seed-only'] as const;
/** Options that only shape a run: with an action they would be ignored. */
const RUN_ONLY = ['spec', 'run-id', 'approval', 'inject-faults'] as const;

function refuseConflictingOptions(given: (name: string) => boolean): void {
  const actions = ACTIONS.filter(given);
  if (actions.length > 1) throw new UsageError(`give --${actions[0]} or --${actions[1]}, not both: each is a command of its own`);
  const runOnly = RUN_ONLY.filter(given);
  if (actions.length === 1 && runOnly.length > 0) {
    throw new UsageError(`--${runOnly[0]} has no effect with --${actions[0]} (it applies to a run): drop one of them`);
  }
}

/** A whole number of digits only: Number() would also take 1e3, 0x10, 1.0, ' 7' and ''. */
const PLAIN_WHOLE_NUMBER = /^[0-9]+$/;

/** Parses argv; every problem is a UsageError naming the option. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        records: { type: 'string' },
        'data-dir': { type: 'string' },
        spec: { type: 'string' },
        'run-id': { type: 'string' },
        approval: { type: 'string' },
        'inject-faults': { type: 'string' },
        json: { type: 'boolean', default: false },
        'seed-only': { type: 'boolean', default: false },
        dump: { type: 'string' },
        rollback: { type: 'string' },
        'rehearse-rollback': { type: 'string' },
        force: { type: 'boolean', default: false },
        'keep-newer-run-writes': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const v = parsed.values;
  refuseConflictingOptions((name) => v[name as keyof typeof v] !== undefined && v[name as keyof typeof v] !== false);
  const records = v.records === undefined ? DEFAULT_RECORDS : PLAIN_WHOLE_NUMBER.test(v.records) ? Number(v.records) : Number.NaN;
  if (!Number.isInteger(records) || records < 0 || records > 10_000_000) {
    throw new UsageError(`--records must be a whole number from 0 to 10000000 (digits only), got ${JSON.stringify(v.records)}`);
  }
  if (v['run-id'] !== undefined && !/^[A-Za-z0-9_-]{1,80}$/.test(v['run-id'])) {
    throw new UsageError(`--run-id must be 1–80 of A-Z a-z 0-9 _ - (a Step Functions execution name), got ${JSON.stringify(v['run-id'])}`);
  }
  if (v.approval !== undefined && !(APPROVAL_MODES as readonly string[]).includes(v.approval)) {
    throw new UsageError(`--approval must be auto or manual, got ${JSON.stringify(v.approval)}`);
  }
  if (v.dump !== undefined && v['data-dir'] === undefined) {
    throw new UsageError('--dump reads a table kept by a previous run: give the same --data-dir');
  }
  for (const option of ['rollback', 'rehearse-rollback'] as const) {
    const runId = v[option];
    if (runId === undefined) continue;
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(runId)) throw new UsageError(`--${option} must name a run (1–80 of A-Z a-z 0-9 _ -), got ${JSON.stringify(runId)}`);
    if (v['data-dir'] === undefined) throw new UsageError(`--${option} works on a run kept by a previous run: give the same --data-dir`);
  }
  if (v['seed-only'] && v['data-dir'] === undefined) {
    throw new UsageError('--seed-only without --data-dir would seed an in-memory dataset and discard it at exit: give --data-dir DIR to keep it');
  }
  const reader = v.dump !== undefined ? '--dump' : v.rollback !== undefined ? '--rollback' : v['rehearse-rollback'] !== undefined ? '--rehearse-rollback' : undefined;
  if (reader && v['data-dir'] !== undefined) requireKeptState(reader, v['data-dir']);
  if (v.force && v.rollback === undefined && v['rehearse-rollback'] === undefined) {
    throw new UsageError('--force only applies to --rollback or --rehearse-rollback (it rolls back a run still marked RUNNING)');
  }
  if (v['keep-newer-run-writes'] && v.rollback === undefined) throw new UsageError('--keep-newer-run-writes only applies to --rollback (it rolls back a run later runs wrote over)');
  let faults: FaultSpec | undefined;
  try {
    faults = v['inject-faults'] === undefined ? undefined : parseFaultSpec(v['inject-faults']);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new UsageError(error.message);
    throw error;
  }
  return {
    records,
    dataDir: v['data-dir'],
    specFile: v.spec ?? DEFAULT_SPEC_FILE,
    runId: v['run-id'],
    json: v.json ?? false,
    seedOnly: v['seed-only'] ?? false,
    dump: v.dump,
    rollback: v.rollback,
    rehearseRollback: v['rehearse-rollback'],
    force: v.force ?? false,
    keepNewerRunWrites: v['keep-newer-run-writes'] ?? false,
    approval: (v.approval as ApprovalMode | undefined) ?? 'auto',
    ...(faults ? { faults } : {}),
    verbose: v.verbose ?? false,
    debug: v.debug ?? false,
    help: v.help ?? false,
  };
}
