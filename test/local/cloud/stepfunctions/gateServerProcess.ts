/**
 * A process serving the Gate machine with a state dir, for the kill -9 test: prints
 * `endpoint <url>` once listening and `entered` each time the Gate's Task starts.
 * Usage: node --import tsx gateServerProcess.ts <stateDir>
 */
import { startStepFunctionsServer } from '../../../../local/cloud/stepfunctions';
import { localMachine, fn, unusedS3, gateMachine } from './fixtures';

async function main(stateDir: string): Promise<void> {
  const { machine } = gateMachine();
  const hold = machine.taskHandlers[fn('hold')];
  const announced = localMachine(machine.name, machine.definition, {
    [fn('hold')]: (input) => {
      process.stdout.write('entered\n');
      return hold(input);
    },
  });
  const server = await startStepFunctionsServer({ stateMachines: [announced], s3: unusedS3(), stateDir });
  process.stdout.write(`endpoint ${server.endpoint}\n`);
}

void main(process.argv[2]);
