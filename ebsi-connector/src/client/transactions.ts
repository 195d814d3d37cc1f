import { getBytes, Signature } from 'ethers'
import {
  ethereumAddressFromPublicKey,
  type SignedTransactionParams,
  toEthersTransaction,
  toQuantity,
  type UnsignedTransaction,
} from '../core/index.ts'
import type { Signer } from '../keys/index.ts'
import type { AuthorisationApi, EbsiScope, TokenHolder } from './authorisation.ts'
import {
  EbsiJsonRpcError,
  EbsiProblem,
  NonceRetriesExhausted,
  TransactionReceiptTimeout,
  TransactionReverted,
} from './errors.ts'
import type { EbsiHttp } from './http.ts'
import type { LedgerApi, TransactionReceipt } from './registries.ts'

/** The registries written through JSON-RPC, with their JSON-RPC paths. */
export const JSON_RPC_PATHS = {
  'did-registry': '/did-registry/v5/jsonrpc',
  'trusted-issuers-registry': '/trusted-issuers-registry/v5/jsonrpc',
  'trusted-schemas-registry': '/trusted-schemas-registry/v3/jsonrpc',
  timestamp: '/timestamp/v4/jsonrpc',
} as const

export type WritableApi = keyof typeof JSON_RPC_PATHS

/**
 * An entity that writes to the ledger: its DID, its secp256k1 capabilityInvocation key (signs
 * transactions) and the key that signs its VPs for access tokens (default: the controller key).
 */
export interface LedgerActor {
  did: string
  controller: Signer
  authentication?: Signer
}

/** One write: a build method and its params (without `from`, which the writer adds). */
export interface WriteRequest {
  api: WritableApi
  method: string
  params: Record<string, unknown>
  scope: EbsiScope
  actor: LedgerActor
  /** Credentials the VP must carry for invite scopes (VerifiableAuthorisationToOnboard, accreditation). */
  credentials?: string[]
}

/** Options of the write loop. */
export interface TransactionWriterOptions {
  /** Interval between receipt polls (default 100 ms). */
  pollIntervalMs?: number
  /** How long to wait for a receipt (default 30 s, as Sphereon waits). */
  receiptTimeoutMs?: number
  /** Rebuild-and-resend attempts when the nonce was taken by a concurrent writer (default 5). */
  nonceRetries?: number
}

/** Ethereum address of an actor's controller key. */
export function actorAddress(actor: Pick<LedgerActor, 'controller'>): string {
  return ethereumAddressFromPublicKey(actor.controller.publicKeyJwk)
}

/**
 * Signs an unsigned EBSI transaction with a secp256k1 Signer and returns the
 * `sendSignedTransaction` params (r, s, v as EIP-155, signedRawTransaction).
 */
export async function signTransaction(
  unsigned: UnsignedTransaction,
  signer: Signer,
): Promise<SignedTransactionParams> {
  const tx = toEthersTransaction(unsigned)
  const sig = await signer.signDigest(getBytes(tx.unsignedHash))
  tx.signature = Signature.from({ r: sig.r, s: sig.s, yParity: sig.yParity })
  const signature = tx.signature
  return {
    protocol: 'eth',
    unsignedTransaction: unsigned,
    r: signature.r,
    s: signature.s,
    v: toQuantity(signature.networkV ?? BigInt(signature.v)),
    signedRawTransaction: tx.serialized,
  }
}

const NONCE_RACE =
  /nonce (too low|too high|mismatch)|is not the account's next nonce|nonce has already been used/i

/**
 * EBSI's write loop: access token for the scope → JSON-RPC build → sign with the DID's secp256k1
 * key → sendSignedTransaction → poll eth_getTransactionReceipt until status 0x1 (or throw
 * TransactionReverted on 0x0). A nonce collision with another writer rebuilds and resends.
 * Writes of one address are serialised within this writer.
 */
export class TransactionWriter {
  readonly #tokens = new Map<string, { token: string; expiresAt: number }>()
  readonly #queues = new Map<string, Promise<unknown>>()
  readonly #pollIntervalMs: number
  readonly #receiptTimeoutMs: number
  readonly #nonceRetries: number

  constructor(
    readonly http: EbsiHttp,
    readonly authorisation: AuthorisationApi,
    readonly ledger: LedgerApi,
    options: TransactionWriterOptions = {},
  ) {
    this.#pollIntervalMs = options.pollIntervalMs ?? 100
    this.#receiptTimeoutMs = options.receiptTimeoutMs ?? 30_000
    this.#nonceRetries = options.nonceRetries ?? 5
  }

  /** An access token for `scope`, cached for write scopes until shortly before it expires. */
  async accessToken(scope: EbsiScope, actor: LedgerActor, credentials: string[] = []): Promise<string> {
    const cacheable = scope.endsWith('_write') && credentials.length === 0
    const key = `${actor.did}|${scope}|${(actor.authentication ?? actor.controller).kid}`
    const cached = cacheable ? this.#tokens.get(key) : undefined
    if (cached && cached.expiresAt > Date.now() + 30_000) return cached.token
    const holder: TokenHolder = { did: actor.did, signer: actor.authentication ?? actor.controller }
    const response = await this.authorisation.requestAccessToken({ scope, holder, credentials })
    if (cacheable)
      this.#tokens.set(key, {
        token: response.access_token,
        expiresAt: Date.now() + response.expires_in * 1000,
      })
    return response.access_token
  }

  /** Forget cached tokens of a DID (e.g. after its keys changed). */
  forgetTokens(did?: string): void {
    for (const key of this.#tokens.keys()) if (!did || key.startsWith(`${did}|`)) this.#tokens.delete(key)
  }

  /** JSON-RPC build call: returns the unsigned transaction. */
  build(
    api: WritableApi,
    method: string,
    params: Record<string, unknown>,
    token: string,
  ): Promise<UnsignedTransaction> {
    return this.http.jsonRpc<UnsignedTransaction>(JSON_RPC_PATHS[api], method, [params], token)
  }

  /** sendSignedTransaction: returns the transaction hash. */
  send(api: WritableApi, signed: SignedTransactionParams, token: string): Promise<string> {
    return this.http.jsonRpc<string>(JSON_RPC_PATHS[api], 'sendSignedTransaction', [signed], token)
  }

  /** Polls the Ledger API until the receipt exists; throws on status 0x0 or timeout. */
  async waitForReceipt(txHash: string): Promise<TransactionReceipt> {
    const started = Date.now()
    for (;;) {
      const receipt = await this.ledger.getTransactionReceipt(txHash)
      if (receipt) {
        if (receipt.status === '0x1') return receipt
        throw new TransactionReverted(txHash, receipt.revertReason)
      }
      if (Date.now() - started > this.#receiptTimeoutMs)
        throw new TransactionReceiptTimeout(txHash, Date.now() - started)
      await sleep(this.#pollIntervalMs)
    }
  }

  /** Runs one write to completion (receipt status 0x1). */
  async write(request: WriteRequest): Promise<TransactionReceipt> {
    const from = actorAddress(request.actor)
    const previous = this.#queues.get(from) ?? Promise.resolve()
    const run = previous.catch(() => undefined).then(() => this.#write(request, from))
    this.#queues.set(from, run)
    try {
      return await run
    } finally {
      if (this.#queues.get(from) === run) this.#queues.delete(from)
    }
  }

  async #write(request: WriteRequest, from: string): Promise<TransactionReceipt> {
    const token = await this.accessToken(request.scope, request.actor, request.credentials)
    let lastError: unknown
    for (let attempt = 0; attempt <= this.#nonceRetries; attempt++) {
      const unsigned = await this.build(request.api, request.method, { from, ...request.params }, token)
      const signed = await signTransaction(unsigned, request.actor.controller)
      try {
        const txHash = await this.send(request.api, signed, token)
        return await this.waitForReceipt(txHash)
      } catch (error) {
        if (!isNonceRace(error)) throw error
        lastError = error
        // back off with jitter so that racing writers spread out
        await sleep(Math.random() * this.#pollIntervalMs * (attempt + 1))
      }
    }
    throw new NonceRetriesExhausted(`nonce kept colliding for ${from} after ${this.#nonceRetries} retries`, {
      cause: lastError,
    })
  }
}

/**
 * A nonce race: another writer of the same address took the nonce between build and send. The
 * embedded node answers 400 with `code` ERR_NONCE_MISMATCH; Besu-backed EBSI answers with a
 * "nonce too low"/"nonce … mismatch" message. Anything else (a revert, a VP `nonce` problem at the
 * token endpoint) is not retried.
 */
export function isNonceRace(error: unknown): boolean {
  if (error instanceof EbsiProblem) {
    if (error.problem.code === 'ERR_NONCE_MISMATCH') return true
    return NONCE_RACE.test(`${error.problem.title ?? ''} ${error.problem.detail ?? ''}`)
  }
  if (error instanceof EbsiJsonRpcError) return NONCE_RACE.test(error.message)
  return false
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
