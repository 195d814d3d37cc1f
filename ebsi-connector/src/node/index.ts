/** The embedded EBSI-compatible ledger node (import via @flora/ebsi-connector/node). */
export { verifyChain } from './chain/verify-chain.ts'
export {
  type LedgerConfig,
  ledgerEnv,
  loadLedgerConfig,
  type OperatorIdentity,
  operatorFromFile,
} from './config.ts'
export { ChainTampered } from './errors.ts'
export { buildLedgerOpenApi, loadEbsiDocuments } from './openapi.ts'
export { createLedgerNode, LEDGER_VERSION, type LedgerNode } from './server.ts'
