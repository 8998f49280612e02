import { z } from 'zod';

/**
 * The fields of a Function URL event (payload format 2.0, AuthType AWS_IAM) an IAM-authenticated
 * endpoint reads. `authorizer.iam` is filled in by AWS after it verified the SigV4 signature; a
 * client cannot set it. `authorizer.local` is what the local approval server writes instead (a local
 * cloud has no IAM: it names the identity the CLI acts as, `local:<os user>`); AWS never sends it.
 */
export const IamFunctionUrlEventSchema = z.object({
  rawPath: z.string(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({
    http: z.object({ method: z.string(), sourceIp: z.string().default(''), userAgent: z.string().default('') }),
    authorizer: z
      .object({
        iam: z.object({ userArn: z.string().min(1) }).optional(),
        local: z.object({ caller: z.string().regex(/^local:/) }).optional(),
      })
      .optional(),
  }),
});

/** How one endpoint reads its requests: where it answers, how large a body it reads, and its own errors. */
export interface IamEndpoint<Body extends z.ZodType> {
  /** The one path it answers (POST only). */
  readonly path: string;
  readonly maxBodyBytes: number;
  readonly bodySchema: Body;
  /** A request it refuses: the problem, and the status code (400 unless given). */
  badRequest(message: string, statusCode?: number): Error;
  /** A request no caller is named for. */
  unauthenticated(): Error;
}

/** A request as read: its body, and who AWS (or the local cloud) vouched the caller is. */
export type IamRequest<Body extends z.ZodType> = { readonly body: z.output<Body>; readonly caller: string; readonly sourceIp: string; readonly userAgent: string };

/**
 * Reads a POST to an IAM-authenticated Function URL: the caller from the authorizer, the body as
 * JSON parsed with the endpoint's schema (every problem named).
 * @throws the endpoint's unauthenticated() when no caller is named; its badRequest() for a wrong method (405), path (404), size (413) or body (400)
 * @example
 *   const { body, caller } = readIamRequest(IamFunctionUrlEventSchema.parse(event), CONTROL_ENDPOINT);
 */
export function readIamRequest<Body extends z.ZodType>(event: z.output<typeof IamFunctionUrlEventSchema>, endpoint: IamEndpoint<Body>): IamRequest<Body> {
  const { http, authorizer } = event.requestContext;
  if (http.method.toUpperCase() !== 'POST') throw endpoint.badRequest(`method ${JSON.stringify(http.method.slice(0, 20))} is not POST`, 405);
  if (event.rawPath !== endpoint.path) throw endpoint.badRequest(`there is nothing at ${JSON.stringify(event.rawPath.slice(0, 80))}`, 404);
  const caller = authorizer?.iam?.userArn ?? authorizer?.local?.caller;
  if (caller === undefined) throw endpoint.unauthenticated();
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (Buffer.byteLength(text) > endpoint.maxBodyBytes) throw endpoint.badRequest(`the body is larger than ${endpoint.maxBodyBytes} bytes`, 413);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw endpoint.badRequest('the body is not JSON');
  }
  const parsed = endpoint.bodySchema.safeParse(json);
  if (!parsed.success) throw endpoint.badRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'the body'} ${i.message}`).join('; '));
  return { body: parsed.data, caller, sourceIp: http.sourceIp, userAgent: http.userAgent };
}
