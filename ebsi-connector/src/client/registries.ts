import type { DIDDocument } from 'did-resolver'
import type { EbsiHttp } from './http.ts'
import { type Page, type PageQuery, pageParams } from './pagination.ts'

/** API paths (EBSI's own, as in the OpenAPI files). */
export const EBSI_PATHS = {
  authorisation: '/authorisation/v4',
  didRegistry: '/did-registry/v5',
  trustedIssuersRegistry: '/trusted-issuers-registry/v5',
  trustedSchemasRegistry: '/trusted-schemas-registry/v3',
  trustedPoliciesRegistry: '/trusted-policies-registry/v3',
  timestamp: '/timestamp/v4',
  ledger: '/ledger/v4',
} as const

/** A list entry with its link. */
export interface DidItem {
  did: string
  href: string
}

/** DID Registry v5 reads. */
export class DidRegistryApi {
  constructor(readonly http: EbsiHttp) {}

  /** `GET /identifiers` (optionally only DIDs controlled by `controller`). */
  listIdentifiers(query: PageQuery & { controller?: string } = {}): Promise<Page<DidItem>> {
    return this.http.getJson(`${EBSI_PATHS.didRegistry}/identifiers`, {
      ...pageParams(query),
      controller: query.controller,
    })
  }

  /** `GET /identifiers/{did}[?valid-at]`: the DID document, historical when `validAt` is given. */
  resolve(did: string, options: { validAt?: Date | string } = {}): Promise<DIDDocument> {
    const validAt = options.validAt instanceof Date ? options.validAt.toISOString() : options.validAt
    return this.http.getJson(
      `${EBSI_PATHS.didRegistry}/identifiers/${encodeURIComponent(did)}`,
      { 'valid-at': validAt },
      'application/did+ld+json',
    )
  }

  /** `POST /identifiers/{did}/actions` checkController: is `address` a controller of `did`? */
  async checkController(did: string, address: string): Promise<boolean> {
    return this.http.jsonRpc<boolean>(
      `${EBSI_PATHS.didRegistry}/identifiers/${encodeURIComponent(did)}/actions`,
      'checkController',
      [address],
    )
  }
}

/** TIR attribute as the TIR returns it. */
export interface TirAttributeBody {
  hash: string
  body: string
  issuerType: 'RootTAO' | 'TAO' | 'TI' | 'Revoked' | string
  tao: string
  rootTao: string
}

/** Trusted Issuers Registry v5 reads. */
export class TrustedIssuersRegistryApi {
  constructor(readonly http: EbsiHttp) {}

  listIssuers(query: PageQuery = {}): Promise<Page<DidItem>> {
    return this.http.getJson(`${EBSI_PATHS.trustedIssuersRegistry}/issuers`, pageParams(query))
  }

  getIssuer(did: string): Promise<{ did: string; attributes: TirAttributeBody[] }> {
    return this.http.getJson(`${EBSI_PATHS.trustedIssuersRegistry}/issuers/${encodeURIComponent(did)}`)
  }

  listAttributes(did: string, query: PageQuery = {}): Promise<Page<{ id: string; href: string }>> {
    return this.http.getJson(
      `${EBSI_PATHS.trustedIssuersRegistry}/issuers/${encodeURIComponent(did)}/attributes`,
      pageParams(query),
    )
  }

  getAttribute(did: string, attributeId: string): Promise<{ did: string; attribute: TirAttributeBody }> {
    return this.http.getJson(this.attributeUrl(did, attributeId))
  }

  listAttributeRevisions(
    did: string,
    attributeId: string,
    query: PageQuery = {},
  ): Promise<Page<TirAttributeBody>> {
    return this.http.getJson(`${this.attributeUrl(did, attributeId)}/revisions`, pageParams(query))
  }

  listProxies(did: string): Promise<Page<{ proxyId: string; href: string }>> {
    return this.http.getJson(
      `${EBSI_PATHS.trustedIssuersRegistry}/issuers/${encodeURIComponent(did)}/proxies`,
    )
  }

  getProxy(
    did: string,
    proxyId: string,
  ): Promise<{ prefix: string; headers: Record<string, string>; testSuffix: string }> {
    return this.http.getJson(
      `${EBSI_PATHS.trustedIssuersRegistry}/issuers/${encodeURIComponent(did)}/proxies/${proxyId}`,
    )
  }

  /** Reads through the TIR proxy (e.g. a StatusList2021Credential JWT). */
  readThroughProxy(did: string, proxyId: string, path: string): Promise<string> {
    return this.http.getText(this.proxyUrl(did, proxyId, path))
  }

  /** Absolute URL of an attribute (the `termsOfUse.id` of credentials issued under it). */
  attributeUrl(did: string, attributeId: string): string {
    return this.http.url(`${EBSI_PATHS.trustedIssuersRegistry}/issuers/${did}/attributes/${attributeId}`)
  }

  /** Absolute URL of a path behind an issuer's proxy. */
  proxyUrl(did: string, proxyId: string, path: string): string {
    return this.http.url(
      `${EBSI_PATHS.trustedIssuersRegistry}/issuers/${did}/proxies/${proxyId}/${path.replace(/^\/+/, '')}`,
    )
  }
}

/** Trusted Schemas Registry v3 reads. */
export class TrustedSchemasRegistryApi {
  constructor(readonly http: EbsiHttp) {}

  listSchemas(query: PageQuery = {}): Promise<Page<{ schemaId: string; href: string }>> {
    return this.http.getJson(`${EBSI_PATHS.trustedSchemasRegistry}/schemas`, pageParams(query))
  }

  getSchema(schemaId: string): Promise<Record<string, unknown>> {
    return this.http.getJson(this.schemaUrl(schemaId))
  }

  listRevisions(
    schemaId: string,
    query: PageQuery = {},
  ): Promise<Page<{ schemaRevisionId: string; href: string }>> {
    return this.http.getJson(`${this.schemaUrl(schemaId)}/revisions`, pageParams(query))
  }

  getRevision(schemaId: string, revisionId: string): Promise<Record<string, unknown>> {
    return this.http.getJson(`${this.schemaUrl(schemaId)}/revisions/${revisionId}`)
  }

  getRevisionMetadata(
    schemaId: string,
    revisionId: string,
    query: PageQuery = {},
  ): Promise<Page<{ metadataId: string; href: string }>> {
    return this.http.getJson(
      `${this.schemaUrl(schemaId)}/revisions/${revisionId}/metadata`,
      pageParams(query),
    )
  }

  getMetadata(schemaId: string, revisionId: string, metadataId: string): Promise<Record<string, unknown>> {
    return this.http.getJson(
      `${this.schemaUrl(schemaId)}/revisions/${revisionId}/metadata/${metadataId}`,
      undefined,
      'application/ld+json, application/json',
    )
  }

  /** Absolute URL of a schema (a credential's `credentialSchema.id`). */
  schemaUrl(schemaId: string): string {
    return this.http.url(`${EBSI_PATHS.trustedSchemasRegistry}/schemas/${schemaId}`)
  }
}

/** Trusted Policies Registry v3 reads. */
export class TrustedPoliciesRegistryApi {
  constructor(readonly http: EbsiHttp) {}

  listPolicies(
    query: PageQuery = {},
  ): Promise<Page<{ policyName?: string; policyId?: number; href: string }>> {
    return this.http.getJson(`${EBSI_PATHS.trustedPoliciesRegistry}/policies`, pageParams(query))
  }

  getPolicy(policyName: string): Promise<Record<string, unknown>> {
    return this.http.getJson(
      `${EBSI_PATHS.trustedPoliciesRegistry}/policies/${encodeURIComponent(policyName)}`,
    )
  }

  listUsers(query: PageQuery = {}): Promise<Page<{ address: string; href: string }>> {
    return this.http.getJson(`${EBSI_PATHS.trustedPoliciesRegistry}/users`, pageParams(query))
  }

  /** A TPR user: its attributes (e.g. `TSR:insertSchema`) with their values (0x…01 = granted). */
  getUser(address: string): Promise<{ address: string; attributes: Record<string, string> }> {
    return this.http.getJson(`${EBSI_PATHS.trustedPoliciesRegistry}/users/${address}`)
  }
}

/** Timestamp v4 reads. */
export class TimestampApi {
  constructor(readonly http: EbsiHttp) {}

  listHashAlgorithms(query: PageQuery = {}): Promise<Page<{ hashAlgorithmId: number; href: string }>> {
    return this.http.getJson(`${EBSI_PATHS.timestamp}/hash-algorithms`, pageParams(query))
  }

  getHashAlgorithm(
    id: number,
  ): Promise<{ outputLengthBits: number; ianaName: string; oid: string; status: string; multihash: string }> {
    return this.http.getJson(`${EBSI_PATHS.timestamp}/hash-algorithms/${id}`)
  }

  listTimestamps(query: PageQuery = {}): Promise<Page<{ timestampId: string; href: string }>> {
    return this.http.getJson(`${EBSI_PATHS.timestamp}/timestamps`, pageParams(query))
  }

  getTimestamp(timestampId: string): Promise<{
    hash: string
    timestampedBy: string
    blockNumber: number
    timestamp: string
    transactionHash: string
    data?: string
  }> {
    return this.http.getJson(`${EBSI_PATHS.timestamp}/timestamps/${timestampId}`)
  }
}

/** A transaction receipt as Besu returns it (hex quantities). */
export interface TransactionReceipt {
  transactionHash: string
  blockHash: string
  blockNumber: string
  from: string
  to: string | null
  status: '0x1' | '0x0' | string
  revertReason?: string
  [member: string]: unknown
}

/** Ledger v4: the Besu JSON-RPC proxy (public read methods). */
export class LedgerApi {
  constructor(readonly http: EbsiHttp) {}

  call<T>(method: string, params: unknown[], token?: string): Promise<T> {
    return this.http.jsonRpc<T>(`${EBSI_PATHS.ledger}/blockchains/besu`, method, params, token)
  }

  getTransactionReceipt(txHash: string): Promise<TransactionReceipt | null> {
    return this.call('eth_getTransactionReceipt', [txHash])
  }

  getTransactionByHash(txHash: string): Promise<Record<string, unknown> | null> {
    return this.call('eth_getTransactionByHash', [txHash])
  }

  getBlockByNumber(
    block: number | 'latest' | 'earliest',
    fullTransactions = false,
  ): Promise<Record<string, unknown> | null> {
    return this.call('eth_getBlockByNumber', [
      typeof block === 'number' ? `0x${block.toString(16)}` : block,
      fullTransactions,
    ])
  }
}
