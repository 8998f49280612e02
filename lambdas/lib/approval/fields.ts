import { z } from 'zod';
import { MalformedLinkError, describeValue } from './errors';

/** Ids we issue are 22 characters; longer ones are allowed up to a bound so nothing unbounded is hashed. */
const APPROVAL_ID_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
/** RFC 5321's limit on an address; no whitespace or control characters. */
const APPROVER_MAX_CHARS = 254;
const APPROVER_PATTERN = /^[^\s\u0000-\u001f\u007f]+$/u;
/** Unix seconds, no leading zero (one spelling per expiry), at most 12 digits. */
const EXPIRY_PATTERN = /^[1-9][0-9]{0,11}$/;
/** An HMAC-SHA256 in base64url without padding. */
const MAC_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const text = () => z.string({ error: (issue) => `must be text, got ${describeValue(issue.input)}` }).min(1, { error: `must not be empty` });

const ApprovalIdSchema = text().regex(APPROVAL_ID_PATTERN, { error: (issue) => `must be 22-64 base64url characters, got ${describeValue(issue.input)}` });
const ApproverSchema = text()
  .max(APPROVER_MAX_CHARS, { error: (issue) => `must be at most ${APPROVER_MAX_CHARS} characters, got ${String(issue.input).length}` })
  .regex(APPROVER_PATTERN, { error: (issue) => `must not contain whitespace or control characters, got ${describeValue(issue.input)}` });

/** The parts of an approval link as they arrive from an HTTP request (path id and query parameters). */
export const ApprovalLinkPartsSchema = z.object({
  approvalId: ApprovalIdSchema,
  approver: ApproverSchema,
  exp: text().max(12, { error: (issue) => `must be at most 12 digits, got ${String(issue.input).length} characters` })
    .regex(EXPIRY_PATTERN, { error: (issue) => `must be Unix seconds without a leading zero, got ${describeValue(issue.input)}` }),
  sig: text().regex(MAC_PATTERN, { error: (issue) => `must be 43 base64url characters, got ${describeValue(issue.input)}` }),
});
export type ApprovalLinkParts = z.infer<typeof ApprovalLinkPartsSchema>;

/** Who a CSRF token is for: the approval and the approver of the verified link. */
export const ApprovalSubjectSchema = z.object({ approvalId: ApprovalIdSchema, approver: ApproverSchema });
export type ApprovalSubject = z.infer<typeof ApprovalSubjectSchema>;

/** Whether a token has the shape of a MAC we issue (checked before any comparison). */
export const isMacShaped = (value: unknown): value is string => typeof value === 'string' && MAC_PATTERN.test(value);

/**
 * Parses untrusted input with the schema, or throws a MalformedLinkError naming the first bad field.
 *
 * @example
 * parseOrRefuse(ApprovalSubjectSchema, { approvalId, approver }); // typed, or MalformedLinkError('approver', …)
 * @param hint what the reader can do; by default, open the link as it arrived
 */
export function parseOrRefuse<T>(schema: z.ZodType<T>, input: unknown, hint?: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : 'input';
  const approvalId = typeof input === 'object' && input !== null ? (input as { approvalId?: unknown }).approvalId : undefined;
  const knownId = typeof approvalId === 'string' && APPROVAL_ID_PATTERN.test(approvalId) ? approvalId : undefined;
  throw new MalformedLinkError(field, issue?.message ?? 'is invalid', knownId, hint === undefined ? undefined : { hint });
}
