import { AuthorisationApi } from './authorisation.ts'
import { EbsiHttp, type EbsiHttpOptions } from './http.ts'
import {
  DidRegistryApi,
  LedgerApi,
  TimestampApi,
  TrustedIssuersRegistryApi,
  TrustedPoliciesRegistryApi,
  TrustedSchemasRegistryApi,
} from './registries.ts'
import { TransactionWriter, type TransactionWriterOptions } from './transactions.ts'

/** Options of {@link EbsiClient}. */
export interface EbsiClientOptions extends EbsiHttpOptions, TransactionWriterOptions {}

/**
 * Typed client of EBSI's APIs (Authorisation v4, DIDR v5, TIR v5, TSR v3, TPR v3, Timestamp v4,
 * Ledger v4) with the transaction write loop. The same client talks to the embedded ledger node
 * and to EBSI's networks: only `baseUrl` changes.
 *
 * @example
 * const ebsi = new EbsiClient({ baseUrl: 'http://localhost:4100' })
 * const doc = await ebsi.didRegistry.resolve('did:ebsi:z…', { validAt: new Date('2025-01-01') })
 */
export class EbsiClient {
  readonly http: EbsiHttp
  readonly authorisation: AuthorisationApi
  readonly didRegistry: DidRegistryApi
  readonly trustedIssuersRegistry: TrustedIssuersRegistryApi
  readonly trustedSchemasRegistry: TrustedSchemasRegistryApi
  readonly trustedPoliciesRegistry: TrustedPoliciesRegistryApi
  readonly timestamp: TimestampApi
  readonly ledger: LedgerApi
  readonly transactions: TransactionWriter

  constructor(options: EbsiClientOptions) {
    this.http = new EbsiHttp(options)
    this.authorisation = new AuthorisationApi(this.http)
    this.didRegistry = new DidRegistryApi(this.http)
    this.trustedIssuersRegistry = new TrustedIssuersRegistryApi(this.http)
    this.trustedSchemasRegistry = new TrustedSchemasRegistryApi(this.http)
    this.trustedPoliciesRegistry = new TrustedPoliciesRegistryApi(this.http)
    this.timestamp = new TimestampApi(this.http)
    this.ledger = new LedgerApi(this.http)
    this.transactions = new TransactionWriter(this.http, this.authorisation, this.ledger, options)
  }

  /** The origin the client talks to. */
  get baseUrl(): string {
    return this.http.baseUrl
  }
}
