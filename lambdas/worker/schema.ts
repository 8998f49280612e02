export { WorkerInputSchema as WorkerEventSchema } from '../lib/worker';
