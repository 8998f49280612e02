import type { DdbCall } from './fixture';

/** What a crashed process's calls fail with. */
export class SimulatedCrash extends Error {
  constructor(call: DdbCall) {
    super(`simulated crash: the process died before ${call.command}`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * A DynamoDB hook for `depsWithHook` that lets `writes` target writes through and then fails every
 * later call, as if the worker died right there: its batch stays IN_PROGRESS under its lease (even
 * its attempt to record the failure never lands). `writes` = all of the batch's writes simulates a
 * crash after the writes but before completion.
 */
export function crashAfterTargetWrites(targetTable: string, writes: number): { hook: (call: DdbCall) => void; readonly targetWrites: number } {
  let targetWrites = 0;
  let crashed = false;
  return {
    hook(call) {
      if (crashed) throw new SimulatedCrash(call);
      if (call.command === 'PutItemCommand' && call.tableName === targetTable) {
        if (targetWrites === writes) {
          crashed = true;
          throw new SimulatedCrash(call);
        }
        targetWrites += 1;
        return;
      }
      // Past the last allowed write, the next call of any kind is where the process is found dead.
      if (targetWrites === writes && writes > 0) {
        crashed = true;
        throw new SimulatedCrash(call);
      }
    },
    get targetWrites() {
      return targetWrites;
    },
  };
}

/** A DynamoDB hook that counts target writes (conditional puts) of one attempt. */
export function countTargetWrites(targetTable: string): { hook: (call: DdbCall) => void; readonly count: number } {
  let count = 0;
  return {
    hook(call) {
      if (call.command === 'PutItemCommand' && call.tableName === targetTable) count += 1;
    },
    get count() {
      return count;
    },
  };
}
