import type { TaskTokens } from '../../../engine';
import type { Executions } from '../runtime/Executions';
import type { MapRunRegistry } from '../runtime/MapRunRegistry';
import type { StateMachines } from '../runtime/StateMachines';

/** What the operations act on. */
export interface ApiContext {
  readonly machines: StateMachines;
  readonly executions: Executions;
  readonly mapRuns: MapRunRegistry;
  readonly taskTokens: TaskTokens;
}

/** One API operation: the parsed JSON body in, the JSON body out (AWS's output shape). Throws API errors. */
export type Operation = (request: unknown, context: ApiContext) => object;
