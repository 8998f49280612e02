import type { ApiContext, Operation } from './ApiContext';

// TaskTokens validates the requests itself and throws errors named with the API's codes.
export const sendTaskSuccess: Operation = (body, { taskTokens }: ApiContext) => taskTokens.sendTaskSuccess(body as Parameters<typeof taskTokens.sendTaskSuccess>[0]);
export const sendTaskFailure: Operation = (body, { taskTokens }: ApiContext) => taskTokens.sendTaskFailure(body as Parameters<typeof taskTokens.sendTaskFailure>[0]);
export const sendTaskHeartbeat: Operation = (body, { taskTokens }: ApiContext) => taskTokens.sendTaskHeartbeat(body as Parameters<typeof taskTokens.sendTaskHeartbeat>[0]);
