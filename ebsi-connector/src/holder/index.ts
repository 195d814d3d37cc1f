// Public surface of @flora/ebsi-connector/holder: the case wallet's holder agent (wallet-ui, pilot).
export { HolderAgent, type HolderAgentOptions } from './agent.ts'
export {
  type CredentialRejection,
  CredentialOfferInvalid,
  CredentialRejected,
  HolderError,
  IssuerRefused,
  type OutboundFailure,
  OutboundRefused,
  PresentationDefinitionUnsatisfied,
  PresentationRequestRejected,
} from './errors.ts'
export { createGuardedFetch, type GuardedFetchOptions, type OutboundRole, originOf } from './guarded-fetch.ts'
export { createHolderIdentity, type HolderIdentity, holderIdentityOf, loadHolderIdentity } from './identity.ts'
export { type DidDocumentLike, type DidDocumentResolver, decodeJwt, keyOf, verifyEs256 } from './jwt-verify.ts'
export {
  fetchInclusionProof,
  type Oid4vciProfile,
  type RedeemedCredential,
  type RedeemOfferArgs,
  redeemCredentialOffer,
  resolveCredentialOffer,
} from './oid4vci.ts'
export {
  answerPresentationRequest,
  declinePresentationRequest,
  type Oid4vpHolderOptions,
  type PresentationResponseResult,
  receivePresentationRequest,
  type VerifiedPresentationRequest,
} from './oid4vp.ts'
export {
  buildPresentationSubmission,
  checkPresentationSubmission,
  type DefinitionMatch,
  type DescriptorMapEntry,
  decodeJwtPayload,
  type InputDescriptor,
  matchesFilter,
  matchPresentationDefinition,
  type PexField,
  type PresentationDefinition,
  type PresentationSubmission,
  readJsonPath,
  satisfiesDescriptor,
} from './pex.ts'
export { type CreatePresentationArgs, createPresentationJwt } from './presentation.ts'
export {
  type LedgerDidResolver,
  ledgerCredentialPolicy,
  type ReceivedCredentialPolicy,
  VerifyingHolderRepository,
  verifyReceivedCredential,
} from './received-credential.ts'
export {
  type HolderCredentialRepository,
  type InclusionProof,
  InMemoryHolderRepository,
  type StoredCredential,
} from './repository.ts'
