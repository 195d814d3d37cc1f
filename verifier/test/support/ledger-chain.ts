import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getEthereumAddress } from '@cef-ebsi/verifiable-credential'
import { credentialSchemaFor } from '@flora/credentials'
import {
  accreditEntity,
  addIssuerProxy,
  EbsiClient,
  type EbsiEntity,
  ISSUER_TYPE,
  isoSeconds,
  issueAccreditation,
  issueStatusListCredential,
  newAttributeId,
  onboardEntity,
  registerSchema,
  StatusListBits,
  signCredentialJwt,
  timestampHashes,
} from '@flora/ebsi-connector'
import type { InclusionProof } from '@flora/ebsi-connector/holder'
import { newEntity, startLedgerNode } from './ledger-node.ts'
import type { TestWorld } from './world.ts'

export const CHAIN_TYPE = 'DublinReplyMilestone'

export type Accredited = EbsiEntity & { attributeId: string }

/** What {@link startLedgerChain} sets up on the real ledger node. */
export interface LedgerChain {
  ledger: Awaited<ReturnType<typeof startLedgerNode>>
  ebsi: EbsiClient
  root: Accredited
  ti: Accredited
  schemaUrl: string
  /** The TI's status list behind its TIR proxy: set bits, then `publishStatus()`. */
  bits: StatusListBits
  publishStatus(): Promise<void>
  /** The TI's status-list URL on the ledger (through its proxy). */
  statusListUrl: string
  /** The address the ledger records as `timestampedBy` when the TI anchors. */
  tiAddress: string
  /** The harness's world stand-in: only `base` and `root` are read. */
  world: TestWorld
  /** A credential of the TI in the issuer's format; `vc` may change it before it is signed. */
  issue(holderDid: string, options?: IssueOptions): Promise<{ jwt: string; index: number }>
  /** Anchors one credential's batch root (timestampHashes by the TI); returns its inclusion proof. */
  anchor(jwt: string): Promise<InclusionProof>
  stop(): Promise<void>
}

export interface IssueOptions {
  validFrom?: Date
  expirationDate?: Date
  issuedAt?: Date
  vc?: (vc: Record<string, unknown>) => void
}

async function onboard(ebsi: EbsiClient, by: EbsiEntity): Promise<EbsiEntity> {
  const e = newEntity()
  const authorisationToOnboard = await issueAccreditation({
    issuer: { did: by.did, signer: by.assertion },
    subjectDid: e.did,
    kind: 'VerifiableAuthorisationToOnboard',
    controllerKey: e.controller.publicKeyJwk,
    schemasUrl: ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, ''),
  })
  await onboardEntity(ebsi, { entity: e, authorisationToOnboard })
  return e
}

/**
 * The REAL embedded ledger node (started as `npm run ledger` does) with a trust chain written
 * through its JSON-RPC APIs by the EBSI client: Root TAO (authorised by the operator) → TAO → TI,
 * accredited for Dublin replies; the milestone schema in the TSR; the TI's status list served by
 * its own server and registered as its TIR proxy.
 */
export async function startLedgerChain(): Promise<LedgerChain> {
  const ledger = await startLedgerNode()
  const ebsi = new EbsiClient({ baseUrl: ledger.url })
  const operator = ledger.operator
  const schemasUrl = ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, '')
  const schemaUrl = (
    await registerSchema(ebsi, { writer: operator, schema: credentialSchemaFor(CHAIN_TYPE) as Record<string, unknown> })
  ).url
  const rootEntity = await onboard(ebsi, operator)
  const rootAttributeId = newAttributeId()
  const rootBody = await issueAccreditation({
    issuer: { did: operator.did, signer: operator.assertion },
    subjectDid: rootEntity.did,
    kind: 'VerifiableAuthorisationForTrustChain',
    schemasUrl,
    reservedAttributeId: rootAttributeId,
  })
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeMetadata',
    scope: 'tir_write',
    actor: { did: operator.did, controller: operator.controller, authentication: operator.assertion },
    params: {
      did: rootEntity.did,
      attributeId: rootAttributeId,
      issuerType: ISSUER_TYPE.RootTAO,
      taoDid: operator.did,
      taoAttributeId: rootAttributeId,
    },
  })
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeData',
    scope: 'tir_invite',
    actor: { did: rootEntity.did, controller: rootEntity.controller, authentication: rootEntity.assertion },
    credentials: [rootBody],
    params: { did: rootEntity.did, attributeId: rootAttributeId, attributeData: `0x${Buffer.from(rootBody).toString('hex')}` },
  })
  const root = { ...rootEntity, attributeId: rootAttributeId }
  const accreditedFor = [{ schemaId: schemaUrl, types: ['VerifiableCredential', 'VerifiableAttestation', CHAIN_TYPE] }]
  const taoEntity = await onboard(ebsi, root)
  const tao = {
    ...taoEntity,
    ...(await accreditEntity(ebsi, { accreditor: root, accreditorAttributeId: root.attributeId, subject: taoEntity, role: 'TAO', accreditedFor })),
  }
  const tiEntity = await onboard(ebsi, tao)
  const ti = {
    ...tiEntity,
    ...(await accreditEntity(ebsi, { accreditor: tao, accreditorAttributeId: tao.attributeId, subject: tiEntity, role: 'TI', accreditedFor })),
  }
  // The TI's status list server, registered as its TIR proxy (the node tests it before accepting).
  const bits = new StatusListBits()
  let statusJwt = ''
  const statusServer: Server = createServer((req, res) => {
    res.writeHead(req.url === '/status/1' ? 200 : 404, { 'content-type': 'application/jwt' })
    res.end(req.url === '/status/1' ? statusJwt : '')
  })
  await new Promise<void>((resolve) => statusServer.listen(0, '127.0.0.1', resolve))
  const prefix = `http://127.0.0.1:${(statusServer.address() as AddressInfo).port}`
  const sign = async (id: string) => {
    statusJwt = await issueStatusListCredential({
      issuer: { did: ti.did, signer: ti.assertion },
      url: ebsi.trustedIssuersRegistry.proxyUrl(ti.did, id, 'status/1'),
      schemasUrl,
      bits,
    })
  }
  await sign('0x00')
  const proxyId = (await addIssuerProxy(ebsi, { issuer: ti, proxy: { prefix, headers: {}, testSuffix: '/status/1' } })).proxyId
  await sign(proxyId)
  const statusListUrl = ebsi.trustedIssuersRegistry.proxyUrl(ti.did, proxyId, 'status/1')

  let nextIndex = 10
  return {
    ledger,
    ebsi,
    root,
    ti,
    schemaUrl,
    bits,
    publishStatus: () => sign(proxyId),
    statusListUrl,
    tiAddress: getEthereumAddress(ti.controller.publicKeyJwk as never),
    world: { base: ledger.url, root: { did: root.did } } as unknown as TestWorld,
    async issue(holderDid, options = {}) {
      const index = nextIndex++
      const issuedAt = options.issuedAt ?? new Date(Date.now() - 60_000)
      const validFrom = options.validFrom ?? issuedAt
      const vc: Parameters<typeof signCredentialJwt>[1] = {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id: `urn:uuid:${randomUUID()}`,
        type: ['VerifiableCredential', 'VerifiableAttestation', CHAIN_TYPE],
        issuer: ti.did,
        issuanceDate: isoSeconds(validFrom),
        issued: isoSeconds(issuedAt),
        validFrom: isoSeconds(validFrom),
        expirationDate: isoSeconds(options.expirationDate ?? new Date(Date.now() + 365 * 86_400_000)),
        credentialSubject: { id: holderDid, previousMilestoneHash: null, milestoneDate: '2026-02-12', replyType: 'acceptance' },
        credentialSchema: { id: schemaUrl, type: 'FullJsonSchemaValidator2021' },
        credentialStatus: {
          id: `${statusListUrl}#${index}`,
          type: 'StatusList2021Entry',
          statusPurpose: 'revocation',
          statusListIndex: String(index),
          statusListCredential: statusListUrl,
        },
        termsOfUse: { id: ebsi.trustedIssuersRegistry.attributeUrl(ti.did, ti.attributeId), type: 'IssuanceCertificate' },
      }
      options.vc?.(vc)
      return { jwt: await signCredentialJwt({ did: ti.did, signer: ti.assertion }, vc), index }
    },
    async anchor(jwt) {
      const leaves = [Buffer.concat([randomBytes(32), createHash('sha256').update(jwt).digest()]), randomBytes(64)]
      const h = (...parts: Buffer[]) => parts.reduce((hash, p) => hash.update(p), createHash('sha256')).digest()
      const [l0, l1] = leaves.map((leaf) => h(Buffer.from([0]), leaf)) as [Buffer, Buffer]
      const rootHash = `0x${h(Buffer.from([1]), l0, l1).toString('hex')}`
      const receipt = await timestampHashes(ebsi, { writer: ti, hashes: [rootHash] })
      if (receipt.status !== '0x1') throw new Error(`timestampHashes failed: ${JSON.stringify(receipt)}`)
      return { leaf: leaves[0]!.toString('hex'), leafIndex: 0, treeSize: 2, proof: [l1.toString('hex')], root: rootHash }
    },
    async stop() {
      await new Promise((resolve) => statusServer.close(resolve))
      await ledger.stop()
    },
  }
}
