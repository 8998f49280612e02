export { resolveTarget } from './resolveTarget';
export { localTarget, readEndpointsFile, DEFAULT_LOCAL_DATA_DIR } from './localTarget';
export { stackTarget, type StackTargetOptions } from './stackTarget';
export type { Target, TargetOptions, StackResources, AwsService, ClientConfigOverrides } from './Target';
