export { recordRejection, rejectionCause, APPROVAL_REJECTED, STATES_TIMEOUT, type RecordRejectionInput, type RecordRejectionResult } from './recordRejection';
export { findStageApproval, rejectingDecision, type StageApproval } from './findStageApproval';
export { RejectionError, NotARejectionError, RejectionNotRecordedError, ApprovalNotDeliveredError } from './errors';
