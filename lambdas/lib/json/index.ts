export { parseJsonExact } from './parseJsonExact';
export { InexactNumberError } from './errors';
