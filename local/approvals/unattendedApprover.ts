import { decideThroughLink } from './decideThroughLink';
import type { DeliveredApprovalMessage } from './outboxNotifier';

/** The comment the unattended approver's decisions carry (in the audit trail and on the approval record). */
export const UNATTENDED_COMMENT = 'approved unattended by npm start (the demo approver); run with --approval manual to decide yourself';

export interface UnattendedApproverOptions {
  /** Sent on the page's requests, so the audit shows who decided: e.g. `backfill-npm-start/0.1.0 (unattended demo approver)`. */
  readonly userAgent: string;
  /** Where it says what it did (stderr, through the progress bar). */
  readonly note: (line: string) => void;
}

/** Approves each delivered link through the approval page; a decision that fails ends the wait. */
export interface UnattendedApprover {
  readonly onMessage: (message: DeliveredApprovalMessage) => void;
  /** Rejects with the first decision that failed (a LinkDecisionError); never resolves otherwise. */
  readonly failed: Promise<never>;
  /** Resolves once the decisions in flight are answered (before the page closes). */
  settle(): Promise<void>;
}

/**
 * What keeps `npm start` unattended when the spec asks for an approval: each approval link the
 * outbox delivers is opened and approved through the real page (GET, then POST its form), as the
 * link's approver, exactly as a person would in a browser, so the page's checks and audit apply.
 * @example
 *   const approver = unattendedApprover({ userAgent: 'backfill-npm-start/0.1.0 (unattended demo approver)', note: io.info });
 *   const cloud = await startLocalCloud({ ..., onApprovalMessage: approver.onMessage });
 *   await Promise.race([cloud.stepFunctions.waitForExecution(arn), approver.failed]);
 */
export function unattendedApprover(options: UnattendedApproverOptions): UnattendedApprover {
  const inFlight = new Set<Promise<void>>();
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => (fail = reject));
  // Nobody may await it (a run that needs no approval): the rejection must not be unhandled.
  failed.catch(() => undefined);
  return {
    onMessage: (message) => {
      if (!message.link) return;
      const link = message.link;
      const decided = decideThroughLink(link, { decision: 'approve', comment: UNATTENDED_COMMENT, userAgent: options.userAgent })
        .then((answer) => options.note(`approved as ${message.approver} through the approval page (unattended): ${answer.text}`))
        .catch(fail)
        .finally(() => inFlight.delete(decided));
      inFlight.add(decided);
    },
    failed,
    settle: async () => {
      await Promise.all([...inFlight]);
    },
  };
}
