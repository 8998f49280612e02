import { ListMapRunsCommand, UpdateMapRunCommand, type SFNClient } from '@aws-sdk/client-sfn';

/**
 * A Step Functions double for one execution's Map Runs, one running at a time (`first`, then
 * `next` once `nextStage()` is called), each starting at `maxConcurrency` (its MaxConcurrencyPath)
 * as Step Functions does: ListMapRuns names the running one; UpdateMapRun is recorded and applied,
 * or refused as AccessDenied for `refuseUpdatesOf`.
 */
export function stagedMapRuns(options: { executionArn: string; first: string; next: string; maxConcurrency: number; refuseUpdatesOf?: string }) {
  const mapRuns = new Map<string, number>([[options.first, options.maxConcurrency]]);
  let current = options.first;
  const updates: Array<{ mapRunArn?: string; maxConcurrency?: number }> = [];
  const sfn = {
    send: async (command: ListMapRunsCommand | UpdateMapRunCommand) => {
      if (command instanceof UpdateMapRunCommand) {
        if (command.input.mapRunArn === options.refuseUpdatesOf) throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
        updates.push(command.input);
        mapRuns.set(command.input.mapRunArn!, command.input.maxConcurrency!);
        return {};
      }
      return { mapRuns: [{ executionArn: options.executionArn, mapRunArn: current, stateMachineArn: 'x', startDate: new Date(0) }] };
    },
  } as unknown as SFNClient;
  const nextStage = () => {
    current = options.next;
    mapRuns.set(options.next, options.maxConcurrency);
  };
  return { sfn, updates, nextStage, concurrencyOf: (mapRunArn: string) => mapRuns.get(mapRunArn)! };
}
