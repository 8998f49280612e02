import {
  AlreadyDecidedError,
  ApprovalClosedError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  NotAnApproverError,
  SelfApprovalError,
} from '../../ledger';
import { ApprovalRequestError, CsrfTokenError, ExpiredLinkError, ForgedLinkError, MalformedLinkError, MethodNotAllowedError } from '../errors';
import { noticePage, type PageResponse } from './PageResponse';

/** How each refusal reads: its HTTP status and the page title. */
const REFUSALS: ReadonlyArray<{ readonly type: new (...args: never[]) => Error; readonly status: number; readonly title: string }> = [
  { type: MalformedLinkError, status: 400, title: 'This approval link is malformed' },
  { type: ForgedLinkError, status: 403, title: 'This approval link is not valid' },
  { type: ExpiredLinkError, status: 410, title: 'This approval link has expired' },
  { type: CsrfTokenError, status: 403, title: 'This decision form is not valid' },
  { type: ApprovalNotFoundError, status: 404, title: 'There is no such approval' },
  { type: NotAnApproverError, status: 403, title: 'You are not an approver of this run' },
  { type: SelfApprovalError, status: 403, title: 'You cannot approve your own run' },
  { type: AlreadyDecidedError, status: 409, title: 'You have already decided' },
  { type: ApprovalClosedError, status: 409, title: 'This approval is closed' },
  { type: ApprovalExpiredError, status: 410, title: 'This approval has expired' },
];

const REQUEST_TITLES: Readonly<Record<number, string>> = { 404: 'There is no such approval', 405: 'Method not allowed', 410: 'The run no longer waits for this approval' };

/** Whether the error is one the page answers with a refusal page (anything else is a fault: it propagates). */
export const isRefusal = (error: unknown): error is Error =>
  error instanceof ApprovalRequestError || REFUSALS.some(({ type }) => error instanceof type);

/**
 * The HTTP status code of a refusal (the decision endpoint answers with the same codes as the page).
 * @example
 *   refusalStatusOf(new SelfApprovalError(runId, approvalId, approver)); // 403
 */
export function refusalStatusOf(error: Error): number {
  if (error instanceof ApprovalRequestError) return error.statusCode;
  return REFUSALS.find(({ type }) => error instanceof type)?.status ?? 400;
}

/**
 * The page that refuses a request: the status code of its kind and the error's message (which
 * names the problem and what to do). 405 carries `Allow: GET, POST`.
 * @example
 * if (isRefusal(error)) return refusalPage(error);
 */
export function refusalPage(error: Error): PageResponse {
  if (error instanceof ApprovalRequestError) {
    const title = REQUEST_TITLES[error.statusCode] ?? 'Request refused';
    return noticePage(error.statusCode, title, error.message, error instanceof MethodNotAllowedError ? { allow: 'GET, POST' } : {});
  }
  const kind = REFUSALS.find(({ type }) => error instanceof type);
  return noticePage(kind?.status ?? 400, kind?.title ?? 'Request refused', error.message);
}
