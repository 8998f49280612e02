export { RollbackWorkerInputSchema as RollbackWorkerEventSchema } from '../lib/rollback';
