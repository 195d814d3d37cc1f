/**
 * What the issuer needs from the EBSI ledger, as a narrow interface: the real implementation talks
 * to the EBSI APIs through @flora/ebsi-connector's client (ebsi-ledger-gateway.ts); tests may use
 * the in-memory one. Only this seam knows EBSI URLs.
 */

/** One `accreditedFor` entry of a TI's VerifiableAccreditationToAttest. */
export interface AccreditedFor {
  schemaId: string
  types: string[]
}

/** An authority's accreditation as the TIR shows it. */
export interface Accreditation {
  /** TIR attribute URL (the credential's termsOfUse id). */
  attributeUrl: string
  issuerType: 'RootTAO' | 'TAO' | 'TI' | 'Revoked'
  accreditedFor: AccreditedFor[]
}

/** The ledger's receipt for an anchored Merkle root. */
export interface AnchorReceipt {
  txHash: string
  timestampId: string
  blockNumber?: number
}

export interface LedgerGateway {
  /** Base URL of the EBSI APIs (credentials embed TSR and TIR URLs under it). */
  readonly baseUrl: string
  /** TSR URL of a milestone type's credential schema. */
  milestoneSchemaUrl(type: string): string
  /** TSR URL of the StatusList2021 extension schema (second credentialSchema of every milestone VC). */
  statusEntrySchemaUrl(): string
  /** TSR URL of the StatusList2021Credential schema. */
  statusListCredentialSchemaUrl(): string
  /** The TIR proxy URL under which the authority's status lists are reached. */
  proxyUrl(did: string, proxyId: string): string
  /** The authority's current accreditation (undefined when it has none). */
  findAccreditation(did: string): Promise<Accreditation | undefined>
  /** Anchors a 32-byte root (0x hex) with the Timestamp API from the deployment's anchoring identity. */
  anchorRoot(rootHex: string): Promise<AnchorReceipt>
  /** A receipt for a root anchored earlier (recovery after a crash between send and record). */
  findAnchor(rootHex: string): Promise<AnchorReceipt | undefined>
}

/** The TSR path of a schema id. */
export const tsrSchemaPath = (schemaId: string) => `/trusted-schemas-registry/v3/schemas/${schemaId}`
/** The TIR proxy path of an issuer. */
export const tirProxyPath = (did: string, proxyId: string) =>
  `/trusted-issuers-registry/v5/issuers/${did}/proxies/${proxyId}`
