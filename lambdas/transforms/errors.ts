/** Base class of transform-registry errors. */
export class TransformError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransformError';
  }
}

/** A spec or stamp names a transform id (`name@version`) that is not registered. */
export class UnknownTransformError extends TransformError {
  constructor(
    readonly transformId: string,
    readonly registered: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `Unknown transform ${JSON.stringify(transformId)}; registered transforms are ${registered.map((id) => JSON.stringify(id)).join(', ')}. ` +
        'Use one of them as name@version in the spec, or register the new transform in lambdas/transforms/registry.ts.',
      options,
    );
    this.name = 'UnknownTransformError';
  }
}
