import { canonicalJson } from '../../../lambdas/lib/canonicalJson';
import { listAudit, type AuditEvent } from '../../../lambdas/lib/ledger';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';

/**
 * Watches a run's audit trail: `appended()` returns the events added since the last call (or since
 * the watch began). Events are matched by content, not position, since events of the same
 * millisecond have no defined order.
 */
export async function watchAudit(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<{ appended(): Promise<AuditEvent[]> }> {
  let seen = (await listAudit(deps, runId)).map((e) => canonicalJson(e));
  return {
    async appended() {
      const now = await listAudit(deps, runId);
      const remaining = [...seen];
      const added = now.filter((event) => {
        const index = remaining.indexOf(canonicalJson(event));
        if (index === -1) return true;
        remaining.splice(index, 1);
        return false;
      });
      seen = now.map((e) => canonicalJson(e));
      return added;
    },
  };
}
