import { LedgerError } from '../errors';

/** A paused run cannot resume while the breaker is open: its workers would be gated at once. */
export class BreakerOpenError extends LedgerError {
  constructor(runId: string, readonly breakerReason: string) {
    super(`Run ${runId} cannot resume: the breaker is OPEN (${breakerReason}); close it first: backfill breaker close --reason ...`, runId);
    this.name = 'BreakerOpenError';
  }
}
