import { join } from 'node:path';
import { WORKFLOWS, type WorkflowName } from '../../lambdas/handlers';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { LOCAL_ACCOUNT } from '../engine/arns';
import { loadDefinitionText, type AslDefinition } from '../engine';
import { localFunctions, type TaskHandlerWrapper } from '../runtime/localFunctions';
import type { LocalStateMachine } from './stepfunctions/types';

const REPO_ROOT = join(__dirname, '..', '..');

/** The state machine names the local cloud registers, as the stack names its outputs. */
export const STATE_MACHINE_NAMES: Readonly<Record<WorkflowName, string>> = { backfill: 'Backfill', rollback: 'Rollback' };

/**
 * The stack's two state machines as the local Step Functions server serves them: each ASL file the
 * stack deploys, its placeholders bound to local function ARNs whose handlers are the real handler
 * code on `deps` (the emulators).
 * @example
 *   const stateMachines = localStateMachines(env.deps);
 *   await startStepFunctionsServer({ stateMachines, s3: env.clients.s3 });
 */
export function localStateMachines(deps: Deps, wrap?: TaskHandlerWrapper): LocalStateMachine[] {
  return (Object.keys(WORKFLOWS) as WorkflowName[]).map((workflow) => {
    const { substitutions, taskHandlers } = localFunctions(workflow, deps, wrap);
    const definitionText = loadDefinitionText(join(REPO_ROOT, WORKFLOWS[workflow].definitionFile), substitutions);
    const name = STATE_MACHINE_NAMES[workflow];
    return {
      name,
      definitionText,
      definition: JSON.parse(definitionText) as AslDefinition,
      taskHandlers,
      roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/backfill-local-${name}`,
    };
  });
}
