import { StateMachine, type LocalStateMachine, type StateMachineDefinition } from './awsLocalStepFunctions';
import { UnsupportedDefinitionError, type MissingHandler } from './errors';
import { assertDistributedMapSupported, isDistributedMap, itemProcessorOf } from './distributed/mapRunConfig';
import type { HistoryRecorder } from './history/HistoryRecorder';
import { withTaskHistory } from './history/withTaskHistory';
import type { StatsCollector } from './StatsCollector';
import { prepareIntegrationTask } from './tasks/prepareIntegrationTask';
import type { ExecutionTokens } from './tokens/TaskTokens';
import type { AslDefinition, AslState, NestedExecutions, TaskHandler } from './types';
import { wrapTaskHandler, type LocalTaskHandler } from './wrapTaskHandler';

/** A definition ready for aws-local-stepfunctions, with one local handler per Task state name. */
export interface PreparedMachine {
  readonly definition: AslDefinition;
  readonly machine: LocalStateMachine;
  readonly handlers: Readonly<Record<string, LocalTaskHandler>>;
}

/**
 * Builds the handler that runs a distributed Map state; `child` is its prepared ItemProcessor,
 * `history` the parent's history when the Map is part of it (not inside another Map Run's children).
 */
export type DistributedMapHandlerFactory = (stateName: string, state: AslState, child: PreparedMachine, history: HistoryRecorder | undefined) => LocalTaskHandler;

export interface PrepareDependencies {
  readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
  readonly stats: StatsCollector;
  /** The execution's task tokens, for `.waitForTaskToken` Tasks. */
  readonly taskTokens?: ExecutionTokens;
  /** Runs the nested executions of `states:startExecution.sync` Tasks. */
  readonly nestedExecutions?: NestedExecutions;
  /** Aborted when the execution stops or ends (nested executions stop with it). */
  readonly signal?: AbortSignal;
  readonly distributedMap: DistributedMapHandlerFactory;
  /** Records the Task attempts of this scope; absent inside Map Run children (they have histories of their own). */
  readonly history?: HistoryRecorder;
}

/** What a distributed Map state becomes: a Task whose local handler is the distributed-mode layer. */
export const DISTRIBUTED_MAP_RESOURCE = 'arn:aws:states:::local:distributedMap';
// The longest timer Node can set (2^31-1 ms); a Map Run has no timeout of its own on AWS.
const MAP_RUN_TIMEOUT_SECONDS = 2_147_483;
const KEPT_MAP_FIELDS = ['Comment', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Retry', 'Catch', 'Next', 'End'];

/**
 * Prepares a definition for aws-local-stepfunctions:
 * - every Task state (also inside inline Maps and Parallel branches) gets the handler of its
 *   Resource, wrapped; the package keys handlers by state NAME, so two Tasks of one scope with the
 *   same name and different resources are refused;
 * - `.waitForTaskToken` and `arn:aws:states:::lambda:invoke` Tasks are run by the engine itself
 *   (task tokens, handler chosen by FunctionName; see tasks/prepareIntegrationTask);
 * - every DISTRIBUTED Map becomes a Task of the same name that keeps InputPath, ResultSelector,
 *   ResultPath, OutputPath, Retry, Catch, Next/End, and whose handler runs the Map Run; its
 *   ItemProcessor is prepared as a machine of its own (its children's);
 * - every Task without a handler, at any depth, is reported at once.
 * Nothing runs here.
 */
export function prepareMachine(definition: AslDefinition, dependencies: PrepareDependencies): { prepared: PreparedMachine; missing: MissingHandler[] } {
  const missing: MissingHandler[] = [];
  const prepared = prepareScope(definition, [], dependencies, missing);
  return { prepared, missing };
}

function prepareScope(definition: AslDefinition, path: readonly string[], deps: PrepareDependencies, missing: MissingHandler[]): PreparedMachine {
  const handlers: Record<string, LocalTaskHandler> = {};
  const resources = new Map<string, string>();
  const register = (stateName: string, resource: string, handler: LocalTaskHandler | undefined) => {
    const known = resources.get(stateName);
    if (known !== undefined && known !== resource) {
      throw new UnsupportedDefinitionError([...path, stateName].join('/'), `two Task states named ${stateName} use different resources (${known}, ${resource}); aws-local-stepfunctions keys handlers by state name, rename one`);
    }
    resources.set(stateName, resource);
    if (handler) handlers[stateName] = handler;
  };

  const recorded = (stateName: string, state: AslState, handler: LocalTaskHandler, schedulesItself?: boolean): LocalTaskHandler =>
    deps.history ? withTaskHistory(deps.history, stateName, state, handler, schedulesItself) : handler;

  const transform = (states: AslDefinition, where: readonly string[]): AslDefinition => {
    const transformed: Record<string, AslState> = {};
    for (const [name, state] of Object.entries(states.States)) {
      const statePath = [...where, name];
      if (state.Type === 'Task') {
        if (typeof state.Resource !== 'string') throw new UnsupportedDefinitionError(statePath.join('/'), 'Task without a string Resource');
        const handler = deps.taskHandlers[state.Resource];
        const integration = prepareIntegrationTask(statePath.join('/'), name, state, deps);
        if (integration) {
          missing.push(...integration.missing);
          register(name, state.Resource, recorded(name, state, integration.handler, integration.schedulesItself));
          transformed[name] = integration.state;
          continue;
        }
        if (!Object.hasOwn(deps.taskHandlers, state.Resource) || typeof handler !== 'function') {
          missing.push({ state: statePath.join('/'), resource: state.Resource });
          register(name, state.Resource, undefined);
        } else {
          register(name, state.Resource, recorded(name, state, wrapTaskHandler(state.Resource, handler, deps.stats)));
        }
        transformed[name] = state;
      } else if (isDistributedMap(state)) {
        assertDistributedMapSupported(statePath.join('/'), state);
        const child = prepareScope(itemProcessorOf(state) as unknown as AslDefinition, statePath, { ...deps, history: undefined }, missing);
        deps.history?.markDistributedMap(name);
        register(name, DISTRIBUTED_MAP_RESOURCE, deps.distributedMap(name, state, child, deps.history));
        transformed[name] = asDistributedMapTask(state);
      } else if (state.Type === 'Map') {
        const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
        transformed[name] = { ...state, [field]: transform(itemProcessorOf(state) as unknown as AslDefinition, statePath) };
      } else if (state.Type === 'Parallel') {
        const branches = (state.Branches as AslDefinition[]).map((branch) => transform(branch, statePath));
        transformed[name] = { ...state, Branches: branches };
      } else {
        transformed[name] = state;
      }
    }
    return { ...states, States: transformed };
  };

  const transformed = transform(definition, path);
  // The original definition is validated by the infra tests (asl-validator 4 knows the
  // distributed-Map fields); this transformed copy has a local resource no validator accepts.
  const machine = new StateMachine(transformed as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
  return { definition: transformed, machine, handlers };
}

function asDistributedMapTask(state: AslState): AslState {
  const kept = Object.fromEntries(KEPT_MAP_FIELDS.filter((field) => Object.hasOwn(state, field)).map((field) => [field, state[field]]));
  return {
    Type: 'Task',
    Resource: DISTRIBUTED_MAP_RESOURCE,
    // The handler needs the Map's effective input (after InputPath) and the context object.
    Parameters: { 'input.$': '$', 'context.$': '$$' },
    TimeoutSeconds: MAP_RUN_TIMEOUT_SECONDS,
    ...kept,
  };
}
