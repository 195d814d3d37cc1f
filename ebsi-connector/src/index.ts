// Public surface of @flora/ebsi-connector: the EBSI client, keys, Veramo plugins and the trust walk.
// The embedded ledger node is exported from the `./node` subpath (owned by the node's module).
export * from './client/index.ts'
export * from './keys/index.ts'
export * from './trust/index.ts'
export * from './veramo/index.ts'
export {
  loadCatalogue,
  type MilestoneCatalogue,
  pilotTrustChainConfig,
  type TaoConfig,
  type TiConfig,
  type TrustChainConfig,
  trustChainConfig,
  typesOfTi,
} from './cli/trust-chain-config.ts'
