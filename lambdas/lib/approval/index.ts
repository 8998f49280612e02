export { approvalLink, verifyApprovalLink, type ApprovalLinkGrant, type ApprovalLinkRequest } from './signedLinks';
export { csrfToken, verifyCsrfToken } from './csrf';
export { newApprovalId } from './approvalId';
export { ApprovalLinkPartsSchema, type ApprovalLinkParts, type ApprovalSubject } from './fields';
export { MINIMUM_KEY_BYTES } from './keys';
export {
  ApprovalError,
  MalformedLinkError,
  ForgedLinkError,
  ExpiredLinkError,
  CsrfTokenError,
  ApprovalKeyError,
  ApprovalConfigurationError,
  UnknownStarterError,
  type CsrfProblem,
} from './errors';
export {
  approvalServicesFromEnvironment,
  approvalServicesOf,
  signingKeyFromSecret,
  ApprovalEnvironmentSchema,
  type ApprovalServices,
  type ApprovalNotifier,
} from './ApprovalServices';
