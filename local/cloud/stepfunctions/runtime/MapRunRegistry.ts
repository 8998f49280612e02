import type { LiveMapRun } from '../../../engine';

/** The Map Runs the engine reported (onMapRunStarted), by ARN and by execution. */
export class MapRunRegistry {
  private readonly byArn = new Map<string, LiveMapRun>();
  private readonly byExecution = new Map<string, LiveMapRun[]>();

  register(mapRun: LiveMapRun): void {
    this.byArn.set(mapRun.mapRunArn, mapRun);
    const runs = this.byExecution.get(mapRun.executionArn) ?? [];
    runs.push(mapRun);
    this.byExecution.set(mapRun.executionArn, runs);
  }

  get(mapRunArn: string): LiveMapRun | undefined {
    return this.byArn.get(mapRunArn);
  }

  /** The execution's Map Runs, oldest first. */
  ofExecution(executionArn: string): readonly LiveMapRun[] {
    return this.byExecution.get(executionArn) ?? [];
  }
}
