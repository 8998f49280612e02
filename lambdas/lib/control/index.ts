export { applyControl, breakerView, type BreakerView, type ControlOutcome } from './applyControl';
export { controlRequest, type ControlAnswer, type ControlResponse } from './controlRequest';
export { CONTROLS_PATH, MAX_REASON_LENGTH, ControlEventSchema, ControlBodySchema, callerControlOf, type ControlEvent, type ControlBody, type CallerControl } from './controlEvent';
export { sendOperatorDecision, type OperatorDecision } from './operatorDecision';
export { ControlError, BadControlRequestError, UnauthenticatedControlCallerError, RunNoLongerWaitsError } from './errors';
