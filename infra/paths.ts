import * as path from 'node:path';

/** The repository root; the stack resolves Lambda entry points and ASL files from here. */
export const REPO_ROOT = path.resolve(__dirname, '..');

/** The folder holding the ASL definitions (`*.asl.json`) the stack deploys. */
export const STATE_MACHINES_DIR = path.join(REPO_ROOT, 'statemachines');
