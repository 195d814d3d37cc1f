import type { Logger } from '@flora/service-kit'
import type { BlockProducer } from '../chain/block-producer.ts'
import type { MethodTable } from '../chain/execution.ts'
import type { NodeKey } from '../chain/node-key.ts'
import type { NonceTracker } from '../chain/nonces.ts'
import type { LedgerConfig } from '../config.ts'
import type { AccessTokens } from '../authorisation-v4/access-token.ts'
import type { AllowedFetch } from '../outbound/allowed-fetch.ts'
import type { LedgerDb } from '../types.ts'
import type { DidCache } from './did-cache.ts'
import type { RawSql } from './raw-sql.ts'
import type { TprAttributes } from './tpr-attributes.ts'

/** Everything a route or a step needs; built once in server.ts. */
export interface NodeContext {
  db: LedgerDb
  config: LedgerConfig
  logger: Logger
  /** Public base URL (no trailing slash). */
  publicUrl(): string
  key: NodeKey
  producer: BlockProducer
  nonces: NonceTracker
  tokens: AccessTokens
  dids: DidCache
  methods: MethodTable
  fetch: AllowedFetch
  sql: RawSql
  /** The memo of TPR attributes per address (bounded). */
  tpr: TprAttributes
  /** TPR attributes of an address (cached; admin = holds TIR:setAttributeMetadata). */
  tprAttributes(address: string): Promise<Record<string, unknown>>
  now(): number
}

/** Seconds since the epoch. */
export const unixNow = () => Math.floor(Date.now() / 1000)
