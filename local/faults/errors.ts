/** Base class of the fault injector's errors. */
export class FaultInjectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FaultInjectionError';
  }
}

/** `--inject-faults` text that does not say which faults to inject; names every problem and the text seen. */
export class FaultSpecError extends FaultInjectionError {
  constructor(readonly text: string, readonly problems: readonly string[], options?: { cause?: unknown }) {
    super(
      `--inject-faults ${JSON.stringify(text)} is not a fault spec: ${problems.join('; ')}; give comma-separated key=value pairs, e.g. throttle=0.2,latency=50ms,errors=0.01`,
      options,
    );
    this.name = 'FaultSpecError';
  }
}

/** The fault proxy could not listen on its port. */
export class FaultProxyPortError extends FaultInjectionError {
  constructor(readonly port: number, options?: { cause?: unknown }) {
    super(`the DynamoDB fault proxy cannot listen on 127.0.0.1:${port}: ${(options?.cause as Error | undefined)?.message ?? 'unknown error'}; give another port or 0 for an ephemeral one`, options);
    this.name = 'FaultProxyPortError';
  }
}
