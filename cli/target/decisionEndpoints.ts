import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { DECISIONS_PATH } from '../../lambdas/lib/approval/decide/decisionEvent';
import { CONTROLS_PATH } from '../../lambdas/lib/control/controlEvent';
import { LOCAL_CALLER_HEADER } from '../../local/approvals/decisionEndpoint';
import type { ControlEndpoint, DecisionEndpoint } from './Target';

/** What the signer hashes. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
/** The credentials the signer takes: the SDK clients' resolved provider (their credential chain, `--profile`). */
type SignerCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

const bytesOf = (data: SourceData): string | Uint8Array => (typeof data === 'string' ? data : data instanceof Uint8Array ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));

/** SHA-256 (or HMAC-SHA256 with a secret) for the SigV4 signer, on node:crypto. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

async function post(url: URL, headers: Record<string, string>, body: string): Promise<{ statusCode: number; body: string }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { statusCode: response.status, body: await response.text() };
}

const urlUnder = (base: string, path: string): URL => new URL(path.slice(1), base.endsWith('/') ? base : `${base}/`);

/** The decision URL under a Function URL (which ends in `/`) or the local approval server's base. */
export const decisionsUrlOf = (base: string): URL => urlUnder(base, DECISIONS_PATH);

/** The control URL (`backfill pause|resume|abort|breaker`) under its Function URL or the local approval server's base. */
export const controlsUrlOf = (base: string): URL => urlUnder(base, CONTROLS_PATH);

/**
 * The stack's decision endpoint: each request SigV4-signed (service `lambda`) with the SDK's
 * credential chain of the CLI's clients, so AWS names the caller to the handler.
 * @example
 *   const endpoint = signedDecisionEndpoint('https://abc.lambda-url.eu-west-1.on.aws/', 'eu-west-1', sfn.config.credentials);
 */
export function signedDecisionEndpoint(base: string, region: string, credentials: SignerCredentials): DecisionEndpoint {
  return signedEndpointAt(decisionsUrlOf(base), region, credentials);
}

/**
 * The stack's control endpoint (its ControlsUrl output), each request SigV4-signed like the decision endpoint's.
 * @example
 *   const endpoint = signedControlEndpoint('https://xyz.lambda-url.eu-west-1.on.aws/', 'eu-west-1', sfn.config.credentials);
 */
export function signedControlEndpoint(base: string, region: string, credentials: SignerCredentials): ControlEndpoint {
  return signedEndpointAt(controlsUrlOf(base), region, credentials);
}

function signedEndpointAt(url: URL, region: string, credentials: SignerCredentials): DecisionEndpoint {
  const signer = new SignatureV4({ service: 'lambda', region, credentials, sha256: NodeSha256 });
  return {
    url: url.href,
    post: async (body) => {
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query: {},
        headers: { host: url.host, 'content-type': 'application/json' },
        body,
      });
      return post(url, signed.headers, body);
    },
  };
}

/**
 * A local cloud's decision endpoint: the approval server's `/decisions`, told the CLI's local
 * identity in a header (local has no IAM; see LOCAL_CALLER_HEADER).
 * @example
 *   const endpoint = localDecisionEndpoint('http://127.0.0.1:4573', 'local:alice');
 */
export function localDecisionEndpoint(base: string, identity: string): DecisionEndpoint {
  return localEndpointAt(decisionsUrlOf(base), identity);
}

/**
 * A local cloud's control endpoint: the approval server's `/controls`, told the CLI's local identity in a header.
 * @example
 *   const endpoint = localControlEndpoint('http://127.0.0.1:4573', 'local:alice');
 */
export function localControlEndpoint(base: string, identity: string): ControlEndpoint {
  return localEndpointAt(controlsUrlOf(base), identity);
}

function localEndpointAt(url: URL, identity: string): DecisionEndpoint {
  return { url: url.href, post: (body) => post(url, { 'content-type': 'application/json', [LOCAL_CALLER_HEADER]: identity }, body) };
}
