export {
  anchorPending,
  type InclusionProof,
  inclusionProofFor,
  startAnchorScheduler,
} from './anchoring/anchoring.ts'
export { type RunningIssuer, startIssuer } from './assembly.ts'
export { createIssuerApp, type IssuerAppDeps, issuerContext, issuerVersion } from './app.ts'
export { type IssuerConfig, loadIssuerConfig } from './config.ts'
export * from './errors.ts'
export { type AuthorityKeyring, createKeyring, MemoryKeyStore, type OwnerKeyStore } from './keys/keyring.ts'
export type { Accreditation, AnchorReceipt, LedgerGateway } from './ledger/ledger-gateway.ts'
export { MemoryLedgerGateway } from './ledger/memory-ledger-gateway.ts'
export { createStaffAccount, createApiToken } from './services/auth.ts'
export { createAuthorityKeys, recordOnboarding, registerAuthority } from './services/authorities.ts'
export type { IssuerContext, Principal } from './services/context.ts'
