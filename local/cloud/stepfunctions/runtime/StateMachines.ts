import { stateMachineArn } from '../../../engine/arns';
import { DuplicateStateMachineError, StateMachineDoesNotExistError } from '../errors';
import { stateMachineNameOf } from '../model/arns';
import type { LocalStateMachine } from '../types';

/** The state machines registered at start-up, by name. */
export class StateMachines {
  private readonly byName: ReadonlyMap<string, LocalStateMachine>;

  constructor(
    machines: readonly LocalStateMachine[],
    /** When they were registered: their `creationDate`. */
    readonly creationDateMs: number,
  ) {
    const byName = new Map<string, LocalStateMachine>();
    for (const machine of machines) {
      if (byName.has(machine.name)) throw new DuplicateStateMachineError(machine.name);
      byName.set(machine.name, machine);
    }
    this.byName = byName;
  }

  /** The state machine of an ARN: InvalidArn for a malformed one, StateMachineDoesNotExist for an unknown one. */
  resolve(field: string, arn: string): LocalStateMachine {
    const machine = this.byName.get(stateMachineNameOf(field, arn));
    if (!machine || stateMachineArn(machine.name) !== arn) throw new StateMachineDoesNotExistError(arn, this.list().map((m) => stateMachineArn(m.name)));
    return machine;
  }

  find(name: string): LocalStateMachine | undefined {
    return this.byName.get(name);
  }

  /** In registration order. */
  list(): readonly LocalStateMachine[] {
    return [...this.byName.values()];
  }
}
