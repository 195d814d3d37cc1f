/** The embedded EBSI-compatible ledger node (import via @flora/ebsi-connector/node). */
export { type PinnedNodeKey, pinFileOf, readPin } from './chain/node-key-pin.ts'
export { verifyChain } from './chain/verify-chain.ts'
export { type VerifiedLedger, verifyLedger } from './chain/verify-ledger.ts'
export {
  type LedgerConfig,
  ledgerEnv,
  loadLedgerConfig,
  type OperatorIdentity,
  operatorFromFile,
} from './config.ts'
export { ChainTampered, NodeKeyNotPinned, PendingTampered, StateTampered } from './errors.ts'
export { buildLedgerOpenApi, loadEbsiDocuments } from './openapi.ts'
export { createLedgerNode, LEDGER_VERSION, type LedgerNode } from './server.ts'
