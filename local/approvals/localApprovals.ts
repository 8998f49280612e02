import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { MINIMUM_KEY_BYTES, type ApprovalServices } from '../../lambdas/lib/approval';
import type { Clock } from '../../lambdas/lib/runtime/Clock';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../engine/arns';
import { PortInUseError } from '../emulators';
import { outboxNotifier, type DeliveredApprovalMessage } from './outboxNotifier';
import { rememberedPagePort, rememberPagePort } from './pagePortFile';
import { readOrCreateSigningKey, SIGNING_KEY_FILE } from './signingKeyFile';
import { startApprovalServer, type ApprovalServer, type FunctionUrlHandler } from './startApprovalServer';

/** The topic the local outbox stands in for (the stack's approval topic's name). */
export const LOCAL_APPROVAL_TOPIC_ARN = `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:backfill-approvals`;

/** The approval side of a local cloud: its services for the handlers, the page on loopback, the outbox. */
export interface LocalApprovals {
  readonly services: ApprovalServices;
  readonly server: ApprovalServer;
  /** DIR/outbox, or a temp folder of an in-memory cloud (removed on close). */
  readonly outboxDir: string;
  /** Stops the page (requests in flight get `drainMs`), destroys the SFN client, removes a temp outbox. */
  close(options?: { drainMs?: number }): Promise<void>;
}

export interface LocalApprovalsOptions {
  /** Keeps the outbox and the signing key file here. @default - a temp outbox and a key for this process only */
  readonly dataDir?: string;
  /** The approval page's port on 127.0.0.1. @default 0 - the port this data dir's page had last (DIR/approval-page-port) when free, else ephemeral */
  readonly port?: number;
  readonly clock: Clock;
  /** The local Step Functions endpoint, asked at each call: the page starts before the Step Functions server does. */
  readonly stepFunctionsEndpoint: () => string;
  /** Builds the approval-page handler once the services exist (it needs them). */
  readonly pageHandler: (services: ApprovalServices) => FunctionUrlHandler;
  /** Each message the outbox delivered (the `approval link (<approver>): <url>` line, the demo approver). */
  readonly onDelivered?: (message: DeliveredApprovalMessage) => void;
  readonly log?: (line: string) => void;
}

/**
 * Starts the local stand-ins of the approval topic, secret and Function URL: the approval page on
 * 127.0.0.1 (startApprovalServer, on the real approval-page handler), the outbox as the notifier,
 * the data dir's key file as the signing secret, and an SFN client on the local Step Functions API
 * (SendTaskSuccess / SendTaskFailure release the waiting RequestApproval state).
 * @throws PortInUseError when `port` is taken; SigningKeyFileError when the key file cannot be used
 * @example
 *   const approvals = await startLocalApprovals({ dataDir, clock, stepFunctionsEndpoint: () => sfnServer.endpoint, pageHandler: (services) => pageOf({ ...deps, approvals: services }) });
 *   // approvals.services goes on the handlers' deps; links are `${approvals.server.url}/approvals/<id>?…`
 */
export async function startLocalApprovals(options: LocalApprovalsOptions): Promise<LocalApprovals> {
  const key = options.dataDir === undefined ? randomBytes(MINIMUM_KEY_BYTES) : readOrCreateSigningKey(join(options.dataDir, SIGNING_KEY_FILE));
  const tempOutbox = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'backfill-outbox-')) : undefined;
  const outboxDir = tempOutbox ?? join(options.dataDir!, 'outbox');
  let handler: FunctionUrlHandler | undefined;
  const start = (port: number | undefined) => startApprovalServer({ port, clock: options.clock, log: options.log, handler: (event) => handler!(event) });
  // Asked for any port: the one this data dir's page had before, so the links already sent still work.
  const remembered = options.dataDir !== undefined && !options.port ? rememberedPagePort(options.dataDir) : undefined;
  let server: ApprovalServer;
  try {
    server = await start(remembered ?? options.port).catch((error: unknown) => {
      if (remembered !== undefined && error instanceof PortInUseError) return start(0);
      throw error;
    });
  } catch (error) {
    if (tempOutbox) rmSync(tempOutbox, { recursive: true, force: true });
    throw error;
  }
  if (options.dataDir !== undefined) {
    try {
      rememberPagePort(options.dataDir, server.port);
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  const sfn = new SFNClient({
    endpoint: async () => ({ url: new URL(options.stepFunctionsEndpoint()) }),
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const services: ApprovalServices = {
    sfn,
    notifier: outboxNotifier({ directory: outboxDir, pageBaseUrl: server.url, clock: options.clock, onDelivered: options.onDelivered }),
    signingKey: async () => key,
    pageBaseUrl: server.url,
    topicArn: LOCAL_APPROVAL_TOPIC_ARN,
  };
  handler = options.pageHandler(services);
  return {
    services,
    server,
    outboxDir,
    close: async (closeOptions) => {
      try {
        await server.close(closeOptions);
      } finally {
        sfn.destroy();
        if (tempOutbox) rmSync(tempOutbox, { recursive: true, force: true });
      }
    },
  };
}
