import type { DecodedRegistryCall, RegistryName } from '../../core/index.ts'

/** A transaction accepted by sendSignedTransaction and waiting for its block. */
export interface PendingTransaction {
  hash: string
  raw: string
  from: string
  to: string
  nonce: number
  registry: RegistryName
  call: DecodedRegistryCall
  /** The access token's subject DID under which it was sent. */
  sender: string
  /** The access token's custom scope. */
  scope: string
  /** Whether `from` held the TPR admin attributes when it was accepted. */
  isAdmin: boolean
}
