import type { CommandDefinition } from '../commandTable';
import { abortCommand } from './abort';
import { approvalsCommand } from './approvals';
import { auditCommand } from './audit';
import { breakerCloseCommand, breakerOpenCommand, breakerStatusCommand } from './breaker';
import { approveCommand, rejectCommand } from './decide';
import { dumpCommand } from './dump';
import { lineageCommand } from './lineage';
import { listCommand } from './list';
import { localUpCommand } from './localUp';
import { pauseCommand } from './pause';
import { reportCommand } from './report';
import { resumeCommand } from './resume';
import { rollbackCommand } from './rollback';
import { scheduleFireCommand } from './scheduleFire';
import { startCommand } from './start';
import { statusCommand } from './status';
import { stopCommand } from './stop';
import { watchCommand } from './watch';

/** The command table: every `backfill` command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [
  startCommand,
  resumeCommand,
  statusCommand,
  watchCommand,
  listCommand,
  stopCommand,
  pauseCommand,
  abortCommand,
  breakerStatusCommand,
  breakerOpenCommand,
  breakerCloseCommand,
  reportCommand,
  auditCommand,
  approvalsCommand,
  approveCommand,
  rejectCommand,
  lineageCommand,
  rollbackCommand,
  dumpCommand,
  scheduleFireCommand,
  localUpCommand,
];
