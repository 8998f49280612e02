import * as fs from 'node:fs';
import * as path from 'node:path';

// The backfill ASL's gate around its distributed Maps (invariant 7 and the on-failure policy),
// checked on the file the stack deploys and the local runtime runs.
type State = Record<string, any>;
const definition = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'statemachines', 'backfill.asl.json'), 'utf8')) as { States: Record<string, State> };
const states = definition.States;
const CHECK_GATE = '${CheckGateFunctionArn}';
const distributedMaps = Object.entries(states).filter(([, s]) => s.Type === 'Map' && s.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED');
const choiceTarget = (choice: State, value: string) => choice.Choices.find((c: State) => c.Variable === '$.gate.next' && c.StringEquals === value)?.Next as string | undefined;

describe('statemachines/backfill.asl.json: CheckGate around the distributed Maps', () => {
  it('has the two distributed Maps, ProcessBatches and ProcessStage', () => {
    expect(distributedMaps.map(([name]) => name).sort()).toEqual(['ProcessBatches', 'ProcessStage']);
  });

  describe.each(distributedMaps.map(([name, state]) => [name, state] as const))('%s', (name, map) => {
    const onward = name === 'ProcessBatches' ? 'Finalize' : 'ValidateStage';

    it('goes on only through a CheckGate Task (after-map), never straight to its next step', () => {
      const gate = states[map.Next];
      expect(gate).toMatchObject({ Type: 'Task', Resource: CHECK_GATE, ResultPath: '$.gate', Parameters: { action: 'after-map' } });
      expect(gate.Parameters).not.toHaveProperty(['error.$']);
      expect(name === 'ProcessStage' ? gate.Parameters['stage.$'] : undefined).toBe(name === 'ProcessStage' ? '$.next.stage' : undefined);
    });

    it('catches States.ExceedToleratedFailureThreshold first, into a CheckGate that gets the error; any other error fails the run', () => {
      const [tolerance, other] = map.Catch;
      expect(tolerance.ErrorEquals).toEqual(['States.ExceedToleratedFailureThreshold']);
      expect(states[tolerance.Next]).toMatchObject({ Type: 'Task', Resource: CHECK_GATE, Parameters: { action: 'after-map', 'error.$': '$.error' } });
      expect(other).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'MarkRunFailed' });
    });

    it('continues to its next step, reruns itself, or goes to GateShut, by the gate\'s decision', () => {
      for (const gateName of [map.Next, map.Catch[0].Next]) {
        const choice = states[states[gateName].Next];
        expect(choice.Type).toBe('Choice');
        expect(choiceTarget(choice, 'continue')).toBe(onward);
        expect(choiceTarget(choice, 'rerun')).toBe(name);
        expect(choice.Default).toBe('GateShut');
      }
    });
  });

  it('GateShut sends pause to WaitForOperator, stop to RunStoppedByPolicy, rollback to RollbackOnFailure, abort to MarkAborted', () => {
    const shut = states.GateShut;
    expect([choiceTarget(shut, 'pause'), choiceTarget(shut, 'stop'), choiceTarget(shut, 'rollback'), shut.Default]).toEqual(['WaitForOperator', 'RunStoppedByPolicy', 'RollbackOnFailure', 'MarkAborted']);
  });

  it('WaitForOperator waits by task token, at most the gate\'s pauseTimeoutSeconds, and aborts on the timeout', () => {
    const wait = states.WaitForOperator;
    expect(wait).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: CHECK_GATE, Payload: { action: 'await-operator', 'runId.$': '$.runId', 'taskToken.$': '$$.Task.Token' } },
      TimeoutSecondsPath: '$.gate.pauseTimeoutSeconds',
      Next: 'OperatorDecision',
    });
    const catches = Object.fromEntries(wait.Catch.map((c: State) => [c.ErrorEquals.join(','), c.Next]));
    expect(catches).toEqual({ 'States.Timeout': 'AbortAfterTimeout', RunAlreadyResumedError: 'ResumeMap', RunAbortedWhilePausingError: 'MarkAborted', 'States.ALL': 'MarkRunFailed' });
    expect(states.AbortAfterTimeout).toMatchObject({ Resource: CHECK_GATE, Parameters: { action: 'abort-after-timeout' }, Next: 'MarkAborted' });
  });

  it('Finalize refusing a run a pause or abort reached after its map (RunGatedError) goes to CheckBatchesGate, not MarkRunFailed', () => {
    const catches = states.Finalize.Catch.map((c: State) => [c.ErrorEquals.join(','), c.Next]);
    expect(catches).toEqual([['RunGatedError', 'CheckBatchesGate'], ['States.ALL', 'MarkRunFailed']]);
  });

  it('a resume goes back to the map that paused: the stage\'s when the run is staged', () => {
    expect(states.OperatorDecision.Choices).toEqual([{ Variable: '$.operator.decision', StringEquals: 'resume', Next: 'ResumeMap' }]);
    expect(states.OperatorDecision.Default).toBe('MarkAborted');
    expect(states.ResumeMap).toEqual(expect.objectContaining({ Choices: [{ Variable: '$.next.stage', IsPresent: true, Next: 'ProcessStage' }], Default: 'ProcessBatches' }));
  });

  it('an abort ends in RunAborted, rolled back first through the rollback state machine when asked', () => {
    expect(states.MarkAborted).toMatchObject({ Resource: CHECK_GATE, Parameters: { action: 'mark-aborted' }, ResultPath: '$.aborted', Next: 'IsAbortRolledBack' });
    expect(states.IsAbortRolledBack).toMatchObject({ Choices: [{ Variable: '$.aborted.rollback', BooleanEquals: true, Next: 'RollbackAborted' }], Default: 'Aborted' });
    expect(states.RollbackAborted).toMatchObject({ Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: '${RollbackStateMachineArn}' }, Next: 'Aborted' });
    expect(states.Aborted).toMatchObject({ Type: 'Fail', Error: 'RunAborted', CausePath: '$.aborted.cause' });
  });

  it('the policies end: stop in RunStoppedByPolicy, rollback through the rollback state machine to a Succeed with the trigger', () => {
    expect(states.RunStoppedByPolicy).toMatchObject({ Type: 'Fail', Error: 'RunStoppedByPolicy', CausePath: '$.gate.cause' });
    expect(states.RollbackOnFailure).toMatchObject({
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: { StateMachineArn: '${RollbackStateMachineArn}', Input: { 'runId.$': '$.runId', 'reason.$': '$.gate.cause' } },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'RollbackOnFailureFailed' }],
    });
    expect(states[states.RollbackOnFailure.Next]).toMatchObject({ Type: 'Pass', Parameters: { 'trigger.$': '$.gate.trigger' }, Next: 'RolledBackOnFailure' });
    expect(states.RolledBackOnFailure.Type).toBe('Succeed');
  });
});
