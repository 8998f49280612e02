export { requestApproval, ApprovalRequestSchema, type ApprovalRequest } from './requestApproval';
export { recordDecision, DecisionRequestSchema, MAX_COMMENT_LENGTH, type DecisionRequest, type DecisionOutcome } from './recordDecision';
export { expireApproval, type ExpireApprovalRequest } from './expireApproval';
export { readApprovalForPage, type ApprovalPage } from './readApprovalForPage';
export { newApprovalId } from './newApprovalId';
export { type ApprovalDecision, type RecordedDecision } from './ApprovalRecord';
