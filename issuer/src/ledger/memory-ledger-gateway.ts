import { createHash } from 'node:crypto'
import {
  type Accreditation,
  type AnchorReceipt,
  type LedgerGateway,
  tirProxyPath,
  tsrSchemaPath,
} from './ledger-gateway.ts'
import { schemaUrlOf } from './schema-ids.ts'

/**
 * An in-memory ledger for unit tests of the issuer's own logic: accreditations are set by the test,
 * anchors are recorded in a map. Integration tests use the embedded EBSI node instead.
 */
export class MemoryLedgerGateway implements LedgerGateway {
  readonly accreditations = new Map<string, Accreditation>()
  readonly anchors = new Map<string, AnchorReceipt>()
  failAnchoring = false
  constructor(readonly baseUrl = 'http://localhost:4100') {}

  milestoneSchemaUrl(type: string): string {
    return schemaUrlOf(this.baseUrl, type)
  }
  statusEntrySchemaUrl(): string {
    return `${this.baseUrl}${tsrSchemaPath('zStatusList2021EntryExtension')}`
  }
  statusListCredentialSchemaUrl(): string {
    return `${this.baseUrl}${tsrSchemaPath('z7DmpwC9doRxZrtQ9PBjz8qQgGWqojkGExELnrw1x8qdi')}`
  }
  proxyUrl(did: string, proxyId: string): string {
    return `${this.baseUrl}${tirProxyPath(did, proxyId)}`
  }
  async findAccreditation(did: string): Promise<Accreditation | undefined> {
    return this.accreditations.get(did)
  }
  async anchorRoot(rootHex: string): Promise<AnchorReceipt> {
    if (this.failAnchoring) throw new Error('ledger unreachable')
    const receipt = {
      txHash: `0x${createHash('sha256').update(`tx:${rootHex}`).digest('hex')}`,
      timestampId: `u${createHash('sha256').update(rootHex).digest('base64url')}`,
      blockNumber: this.anchors.size + 1,
    }
    this.anchors.set(rootHex, receipt)
    return receipt
  }
  async findAnchor(rootHex: string): Promise<AnchorReceipt | undefined> {
    return this.anchors.get(rootHex)
  }
}
