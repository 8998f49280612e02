import type { z } from 'zod';
import { createLogger, createMetrics, type Logger, type Metrics } from '../observability';
import type { Deps } from './Deps';
import { depsFromEnvironment } from './environment';
import { InvalidEventError } from './errors';

/** The minimum of the Lambda context a handler uses; the local runtime supplies one too. */
export interface InvocationContext {
  readonly awsRequestId: string;
}

export interface HandlerTools {
  readonly deps: Deps;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly context: InvocationContext;
}

/**
 * Builds a thin Lambda handler: parse the event with zod, call one domain function, publish metrics,
 * return. Deps come from the Lambda environment (once per cold start) unless given, which is how
 * tests and the local runtime run the very same handler against emulators.
 */
export function defineHandler<S extends z.ZodType, R>(
  name: string,
  schema: S,
  run: (input: z.output<S>, tools: HandlerTools) => Promise<R>,
  deps?: Deps,
): (event: unknown, context: InvocationContext) => Promise<R> {
  let resolved = deps;
  const logger = createLogger(name);
  const metrics = createMetrics(name, deps?.metricsSink);
  return async (event, context) => {
    resolved ??= depsFromEnvironment();
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidEventError(name, parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`));
    }
    const runId = (event as { runId?: unknown; BatchInput?: { runId?: unknown } }).runId ?? (event as { BatchInput?: { runId?: unknown } }).BatchInput?.runId;
    logger.appendKeys({ runId: typeof runId === 'string' ? runId : undefined, requestId: context.awsRequestId });
    try {
      return await run(parsed.data, { deps: resolved, logger, metrics, context });
    } catch (error) {
      logger.error(`${name} failed`, error as Error);
      throw error;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
