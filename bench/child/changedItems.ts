import { generateDemoDataset } from '../../local/demo';
import { getTransform, type TargetItem } from '../../lambdas/transforms';
import { decideWrite, stampItem } from '../../lambdas/lib/worker';
import type { Spec } from '../../lambdas/lib/spec';

/**
 * The items a backfill of the demo dataset writes, computed without running it: every valid source
 * record's recomputed, stamped item whose stored item (as seeded) differs and is not newer — the
 * same `decideWrite` the workers use. Their count equals the run's `written` count.
 */
export function changedItems(records: number, spec: Spec, runId: string): TargetItem[] {
  const transform = getTransform(spec.transform);
  const changed: TargetItem[] = [];
  for (const part of generateDemoDataset({ records }).parts()) {
    const stored = new Map(part.targetItems.map((item) => [item.orderId, item as TargetItem]));
    for (const line of part.body.split('\n')) {
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue;
      }
      const parsed = transform.inputSchema.safeParse(json);
      if (!parsed.success) continue;
      for (const output of transform.apply(parsed.data)) {
        const item = stampItem(output, { runId, transform: spec.transform, batchId: 'b000000' });
        const current = stored.get(String(output[spec.target.partitionKey]));
        if (decideWrite(current, item, spec.target) === 'write') changed.push(item);
      }
    }
  }
  return changed;
}
