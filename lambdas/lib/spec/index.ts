export { SpecSchema, S3JsonlSourceSchema, TargetSchema, type Spec, type SpecInput } from './SpecSchema';
export { parseSpec, specHash, type ParseSpecOptions } from './parseSpec';
export { SpecError, InvalidSpecError, type SpecProblem } from './errors';
