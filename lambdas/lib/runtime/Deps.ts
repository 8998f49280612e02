import type { AwsClients } from '../aws/clients';
import type { Clock } from './Clock';

/**
 * What every domain function needs from its surroundings. Handlers build it from the Lambda
 * environment; tests and the local runtime build it around emulator clients.
 */
export interface Deps {
  readonly clients: AwsClients;
  readonly ledgerTable: string;
  readonly artifactsBucket: string;
  readonly clock: Clock;
  /** Version of the orchestrator code, pinned on the run record. */
  readonly codeVersion: string;
}
