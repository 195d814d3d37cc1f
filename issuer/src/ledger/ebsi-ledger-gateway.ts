import { timestampIdOf } from '@flora/ebsi-connector/core'
import {
  EBSI_BUILTIN_SCHEMAS,
  type EbsiClient,
  type EbsiEntity,
  EbsiNotFound,
  timestampHashes,
} from '@flora/ebsi-connector'
import type { Accreditation, AnchorReceipt, LedgerGateway } from './ledger-gateway.ts'
import { schemaIdOf, schemaUrlOf } from './schema-ids.ts'
import { statusList2021EntrySchema } from './status-entry-schema.ts'

const ISSUER_TYPES = new Set(['RootTAO', 'TAO', 'TI', 'Revoked'])

/**
 * The issuer's ledger seam over @flora/ebsi-connector's EBSI client: TIR reads for accreditation,
 * TSR URLs, TIR proxy URLs, and anchoring with `timestampHashes` from the deployment's one
 * anchoring identity (`anchoring` is undefined until that identity is onboarded).
 */
export class EbsiLedgerGateway implements LedgerGateway {
  readonly #statusEntrySchemaId = schemaIdOf(statusList2021EntrySchema)
  constructor(
    readonly ebsi: EbsiClient,
    readonly anchoring: () => Promise<EbsiEntity | undefined>,
  ) {}

  get baseUrl(): string {
    return this.ebsi.baseUrl
  }
  milestoneSchemaUrl(type: string): string {
    return schemaUrlOf(this.baseUrl, type)
  }
  statusEntrySchemaUrl(): string {
    return this.ebsi.trustedSchemasRegistry.schemaUrl(this.#statusEntrySchemaId)
  }
  statusListCredentialSchemaUrl(): string {
    return this.ebsi.trustedSchemasRegistry.schemaUrl(EBSI_BUILTIN_SCHEMAS.statusList2021Credential)
  }
  proxyUrl(did: string, proxyId: string): string {
    return this.ebsi.trustedIssuersRegistry.proxyUrl(did, proxyId, '').replace(/\/$/, '')
  }

  async findAccreditation(did: string): Promise<Accreditation | undefined> {
    let issuer: Awaited<ReturnType<EbsiClient['trustedIssuersRegistry']['getIssuer']>>
    try {
      issuer = await this.ebsi.trustedIssuersRegistry.getIssuer(did)
    } catch (error) {
      if (error instanceof EbsiNotFound) return undefined
      throw error
    }
    // The TI attribute that accredits this DID to attest; a Revoked one wins over nothing.
    let revoked: Accreditation | undefined
    for (const attribute of issuer.attributes) {
      const issuerType = String(attribute.issuerType)
      if (!ISSUER_TYPES.has(issuerType) || !attribute.body) continue
      const vc = decodeVc(attribute.body)
      const accreditedFor = Array.isArray(vc?.credentialSubject?.accreditedFor)
        ? vc.credentialSubject.accreditedFor
        : []
      const attributeId =
        (vc?.credentialSubject?.reservedAttributeId as string | undefined) ?? `0x${attribute.hash}`
      const accreditation: Accreditation = {
        attributeUrl: this.ebsi.trustedIssuersRegistry.attributeUrl(did, attributeId),
        issuerType: issuerType as Accreditation['issuerType'],
        accreditedFor: accreditedFor.map((entry) => ({
          schemaId: entry.schemaId,
          types: entry.types,
        })),
      }
      if (issuerType === 'TI') return accreditation
      if (issuerType === 'Revoked') revoked = accreditation
    }
    return revoked
  }

  async anchorRoot(rootHex: string): Promise<AnchorReceipt> {
    const writer = await this.anchoring()
    if (!writer) throw new Error('the anchoring identity is not onboarded')
    const receipt = await timestampHashes(this.ebsi, {
      writer,
      hashes: [rootHex],
      data: [{ kind: 'flora-batch' }],
    })
    if (receipt.status !== '0x1')
      throw new Error(`timestampHashes failed: ${receipt.revertReason ?? receipt.status}`)
    const found = await this.findAnchor(rootHex)
    return (
      found ?? { txHash: receipt.transactionHash, timestampId: '', blockNumber: Number(receipt.blockNumber) }
    )
  }

  async findAnchor(rootHex: string): Promise<AnchorReceipt | undefined> {
    const timestampId = timestampIdOf(rootHex)
    try {
      const timestamp = await this.ebsi.timestamp.getTimestamp(timestampId)
      return { txHash: timestamp.transactionHash, timestampId, blockNumber: Number(timestamp.blockNumber) }
    } catch (error) {
      if (error instanceof EbsiNotFound) return undefined
      throw error
    }
  }
}

interface AccreditationVc {
  credentialSubject?: {
    reservedAttributeId?: string
    accreditedFor?: { schemaId: string; types: string[] }[]
  }
}

function decodeVc(jwt: string): AccreditationVc | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as {
      vc?: AccreditationVc
    }
    return payload.vc
  } catch {
    return undefined
  }
}
