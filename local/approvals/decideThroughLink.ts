import { LinkDecisionError } from './errors';
import { readForms, type HtmlForm } from './htmlForms';

export type LinkDecision = 'approve' | 'reject';

export interface DecideThroughLinkOptions {
  readonly decision: LinkDecision;
  readonly comment?: string;
  /** Sent on both requests: the audit records it as the decider's user agent. */
  readonly userAgent: string;
}

/** What the page answered to the decision. */
export interface LinkDecisionAnswer {
  readonly status: number;
  /** The answer page's text, tags stripped (for a note on stderr). */
  readonly text: string;
}

const MAX_TEXT = 300;
const pageText = (html: string): string =>
  html.replace(/<(head|script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);

/** The page's POST form that offers `decision` (a submit button, radio or field of that value). */
function decisionForm(forms: readonly HtmlForm[], decision: LinkDecision): HtmlForm | undefined {
  const offers = (form: HtmlForm) => [...form.buttons, ...form.fields].some(([name, value]) => name === 'decision' && value === decision);
  return forms.find((form) => form.method === 'post' && offers(form)) ?? forms.find((form) => form.method === 'post' && form.buttons.some(([name]) => name === 'decision'));
}

/**
 * Decides an approval the way a person does in a browser: GET the signed link (the page never
 * decides on GET), read its decision form, POST it with the chosen button (and the comment) as
 * `application/x-www-form-urlencoded`, carrying any cookie the page set. This is how the unattended
 * `npm start` approves the demo's canary through the real approval page.
 * @throws LinkDecisionError when the page does not answer 200, has no decision form, or refuses the decision
 * @example
 *   await decideThroughLink(link, { decision: 'approve', comment: 'unattended demo', userAgent: 'backfill-npm-start' });
 *   // { status: 200, text: 'Approved … the run continues' }
 */
export async function decideThroughLink(link: string, options: DecideThroughLinkOptions): Promise<LinkDecisionAnswer> {
  const page = await fetch(link, { headers: { 'user-agent': options.userAgent, accept: 'text/html' }, redirect: 'manual' }).catch((cause: unknown) => {
    throw new LinkDecisionError(link, `the page did not answer (${(cause as Error).message})`, { cause });
  });
  const html = await page.text();
  if (page.status !== 200) throw new LinkDecisionError(link, `the page answered ${page.status}: ${pageText(html)}`);
  const form = decisionForm(readForms(html), options.decision);
  if (!form) throw new LinkDecisionError(link, `the page has no form that can ${options.decision} (expected a POST form with a decision=${options.decision} button)`);
  const body = new URLSearchParams();
  for (const [name, value] of form.fields) if (name !== 'decision' && name !== 'comment') body.append(name, value);
  body.append('decision', options.decision);
  body.append('comment', options.comment ?? '');
  const cookies = page.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  const answer = await fetch(new URL(form.action || link, link), {
    method: 'POST',
    headers: { 'user-agent': options.userAgent, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...(cookies.length > 0 ? { cookie: cookies.join('; ') } : {}) },
    body: body.toString(),
    redirect: 'manual',
  }).catch((cause: unknown) => {
    throw new LinkDecisionError(link, `the decision was not answered (${(cause as Error).message})`, { cause });
  });
  const text = pageText(await answer.text());
  if (answer.status < 200 || answer.status >= 400) throw new LinkDecisionError(link, `the page refused the decision with ${answer.status}: ${text}`);
  return { status: answer.status, text };
}
