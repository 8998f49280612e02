/** Base class of the local alarms' errors (EMF capture, alarm definitions, delivery, the operations outbox). */
export class LocalAlarmsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalAlarmsError';
  }
}

/** A handler's EMF document is not what CloudWatch would ingest; CloudWatch drops such a document, so does the capture. */
export class EmfDocumentError extends LocalAlarmsError {
  constructor(readonly problems: readonly string[], options?: { cause?: unknown }) {
    super(`an EMF document was dropped (CloudWatch would not ingest it): ${problems.join('; ')}; the metrics of that flush are not evaluated by the local alarms`, options);
    this.name = 'EmfDocumentError';
  }
}

/** An alarm definition the local evaluator cannot evaluate as CloudWatch would. */
export class AlarmDefinitionError extends LocalAlarmsError {
  constructor(readonly alarmName: string, readonly problem: string) {
    super(`alarm ${alarmName} cannot be evaluated: ${problem}; fix it in lambdas/lib/health/alarmDefinitions.ts`);
    this.name = 'AlarmDefinitionError';
  }
}

/** The breaker rule's target (the breaker handler) refused an alarm state change event every attempt. */
export class AlarmDeliveryError extends LocalAlarmsError {
  constructor(readonly alarmName: string, readonly state: string, readonly attempts: number, options?: { cause?: unknown }) {
    super(
      `the breaker handler refused the ${state} event of alarm ${alarmName} ${attempts} time(s): ${(options?.cause as Error | undefined)?.message ?? 'unknown error'}; the breaker may not reflect the alarm, check it with \`backfill breaker status\``,
      options,
    );
    this.name = 'AlarmDeliveryError';
  }
}

/** An operations message could not be written to the outbox (nothing half-written is left). */
export class OperationsOutboxWriteError extends LocalAlarmsError {
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super(`cannot write the operations message ${path}: ${(options?.cause as Error | undefined)?.message ?? 'unknown error'}; make the data dir writable`, options);
    this.name = 'OperationsOutboxWriteError';
  }
}
