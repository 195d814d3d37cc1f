export { type DemoAccount, DemoAccounts, type DemoAccountsFile } from './accounts.ts'
export { AdminClient } from './admin-client.ts'
export {
  ACCOUNTS_FILE,
  type BootstrapOptions,
  type BootstrapResult,
  type BootstrappedAuthority,
  bootstrapPilotStack,
  MARKER_FILE,
  type NewAuthority,
  onboardAuthority,
  pilotBootstrapped,
  slugOf,
} from './bootstrap.ts'
export {
  JURISDICTION_URI,
  type PilotChain,
  type PilotTao,
  type PilotTi,
  pilotChain,
  taoForJurisdiction,
  typesOfTao,
  typesOfTi,
} from './chain.ts'
export { operatorFromFile, type TrustAnchorState, TrustAnchors } from './trust-anchors.ts'
