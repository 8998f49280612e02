export { createTableInput } from './createTableInput';
