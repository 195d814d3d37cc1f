export {
  type AccessTokenResponse,
  AuthorisationApi,
  createVpJwt,
  type EbsiScope,
  type OpenIdConfiguration,
  type PresentationDefinition,
  type TokenHolder,
} from './authorisation.ts'
export {
  type AccreditationKind,
  type AccreditedForEntry,
  type CredentialIssuer,
  EBSI_BUILTIN_SCHEMAS,
  type IssueAccreditationArgs,
  isoSeconds,
  issueAccreditation,
  signCredentialJwt,
} from './credentials.ts'
export { EbsiClient, type EbsiClientOptions } from './ebsi-client.ts'
export * from './errors.ts'
export { EbsiHttp, type EbsiHttpOptions } from './http.ts'
export {
  type AccreditEntityArgs,
  accreditEntity,
  actorOf,
  addIssuerProxy,
  addVerificationMethod,
  authoriseOnboarding,
  type EbsiEntity,
  endVerificationMethod,
  ISSUER_TYPE,
  isRegistered,
  newAttributeId,
  onboardEntity,
  preRegisterAccreditation,
  registerOwnAccreditation,
  registerRootTao,
  registerSchema,
  revokeAccreditation,
  rollVerificationMethod,
  timestampHashes,
  updateIssuerProxy,
} from './operations.ts'
export { collectAll, type Page, type PageQuery, pageParams, paginate } from './pagination.ts'
export {
  type DidItem,
  DidRegistryApi,
  EBSI_PATHS,
  LedgerApi,
  type TirAttributeBody,
  TimestampApi,
  type TransactionReceipt,
  TrustedIssuersRegistryApi,
  TrustedPoliciesRegistryApi,
  TrustedSchemasRegistryApi,
} from './registries.ts'
export {
  actorAddress,
  isNonceRace,
  JSON_RPC_PATHS,
  type LedgerActor,
  signTransaction,
  TransactionWriter,
  type TransactionWriterOptions,
  type WritableApi,
  type WriteRequest,
} from './transactions.ts'
export { issueStatusListCredential, STATUS_LIST_MIN_BITS, StatusListBits } from './status-list.ts'
