import { EvidenceUnreadableError, readStageEvidence, renderEvidenceHtml } from '../../evidence';
import type { Deps } from '../../runtime/Deps';
import { esc } from './html';

/**
 * The stage's evidence as the page embeds it: the escaped fragment renderEvidenceHtml makes, or,
 * when the object is missing or not evidence, a notice saying so (the approver should then reject).
 * @example
 * const fragment = await evidenceHtml(deps, 'evidence/orders-fix-1/canary.json');
 */
export async function evidenceHtml(deps: Pick<Deps, 'clients' | 'artifactsBucket'>, evidenceKey: string): Promise<string> {
  try {
    return renderEvidenceHtml(await readStageEvidence(deps.clients.s3, deps.artifactsBucket, evidenceKey));
  } catch (error) {
    if (!(error instanceof EvidenceUnreadableError)) throw error;
    return `<p class="fail">The evidence cannot be shown: ${esc(error.message)}. Without it, reject the stage or ask the run's starter.</p>`;
  }
}
