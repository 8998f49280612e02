import { abortAfterTimeout, awaitOperator, decideAfterMap, markAborted, notifyPaused } from '../lib/gate';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { CheckGateEventSchema } from './schema';

/**
 * The workflow's gate around its distributed Maps: `after-map` says where the run goes on
 * (continue, rerun, or the pause / stop / rollback / abort in force), `await-operator` marks the
 * drained run PAUSED with the task token it waits on (and tells the operators), `mark-aborted`
 * ends an aborting run, `abort-after-timeout` aborts a run nobody answered in time.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'check-gate',
    CheckGateEventSchema,
    async (input, { deps: d, logger }) => {
      switch (input.action) {
        case 'after-map': {
          const decision = await decideAfterMap(d, input);
          logger.info('after map', { next: decision.next, trigger: decision.trigger, stage: input.stage?.name });
          return decision;
        }
        case 'await-operator': {
          const run = await awaitOperator(d, input);
          await notifyPaused(d, run);
          logger.info('run paused, waiting for an operator', { trigger: run.control?.trigger });
          return { status: run.status };
        }
        case 'mark-aborted': {
          const aborted = await markAborted(d, input);
          logger.info('run aborted', { by: aborted.by, rollback: aborted.rollback });
          return aborted;
        }
        case 'abort-after-timeout':
          await abortAfterTimeout(d, input);
          logger.warn('pause timed out: run aborted', { pauseTimeoutSeconds: input.pauseTimeoutSeconds });
          return { status: 'ABORTING' };
      }
    },
    deps,
  );

export const handler = createHandler();
