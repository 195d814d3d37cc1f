import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { getEthereumAddress } from '@cef-ebsi/verifiable-credential'
import { credentialSchemaFor, milestoneCatalogue } from '@flora/credentials'
import {
  generateKey,
  isoSeconds,
  issueAccreditation,
  issueStatusListCredential,
  jwkThumbprint,
  LocalSigner,
  newAttributeId,
  type Signer,
  StatusListBits,
  signCredentialJwt,
} from '@flora/ebsi-connector'
import { createPresentationJwt, type HolderIdentity, holderIdentityOf, type InclusionProof } from '@flora/ebsi-connector/holder'
import { base58btc } from 'multiformats/bases/base58'
import { timestampIdOf } from '@flora/ebsi-connector/core'
import { LedgerFixture } from './ledger-fixture.ts'

export const DEU = 'https://publications.europa.eu/resource/authority/atu/DEU'
export const ALL_TYPES = milestoneCatalogue.map((m) => m.type as string)

export interface Entity {
  did: string
  controller: Signer
  assertion: Signer
  attributeId: string
  attributeUrl: string
  proxyId: string
  bits: { revocation: StatusListBits; suspension: StatusListBits }
  nextIndex: number
}

const signer = (keyType: 'Secp256k1' | 'Secp256r1'): Signer => {
  const key = generateKey(keyType)
  return new LocalSigner(jwkThumbprint(key.publicJwk), keyType, key.publicJwk, key.privateKey)
}

export const newDid = () => `did:ebsi:${base58btc.encode(Uint8Array.from([1, ...randomBytes(16)]))}`

export function didDocument(did: string, controller: Signer, assertions: Signer[]): Record<string, unknown> {
  const vm = (s: Signer) => ({
    id: `${did}#${s.kid}`,
    type: 'JsonWebKey2020',
    controller: did,
    publicKeyJwk: { kty: 'EC', crv: s.publicKeyJwk.crv, x: s.publicKeyJwk.x, y: s.publicKeyJwk.y },
  })
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    controller: [did],
    verificationMethod: [vm(controller), ...assertions.map(vm)],
    authentication: [`${did}#${controller.kid}`, ...assertions.map((a) => `${did}#${a.kid}`)],
    assertionMethod: assertions.map((a) => `${did}#${a.kid}`),
    capabilityInvocation: [`${did}#${controller.kid}`],
  }
}

/** Milestone claims of a synthetic Dublin case (Saxony → France), by type. */
export function claimsFor(type: string): Record<string, unknown> {
  const table: Record<string, Record<string, unknown>> = {
    AsylumRequestReferralMilestone: { milestoneDate: '2026-01-05', referralIssued: true, allocatedLand: 'DE-SN', apprehendedAtExternalBorder: false },
    ArrivalCertificateMilestone: { milestoneDate: '2026-01-07', certificateIssued: true, certificateIssuedOn: '2026-01-07', biometricsCaptured: true, eurodacTransmitted: true, eurodacTransmittedOn: '2026-01-07' },
    MedicalExaminationMilestone: { milestoneDate: '2026-01-08', examinationDone: true },
    AsylumRequestRecordReachedBamfMilestone: { milestoneDate: '2026-01-08' },
    FormalApplicationMilestone: { milestoneDate: '2026-01-20', permissionToStayIssued: true, permissionToStayIssuedOn: '2026-01-20', dublinLeafletProvided: true },
    PersonalInterviewMilestone: { milestoneDate: '2026-01-20', interviewKind: 'dublinInterview' },
    EurodacHitMilestone: { milestoneDate: '2026-01-09', category: 1, searchCategory: 1 },
    VisHitMilestone: { milestoneDate: '2026-01-09' },
    DublinRequestMilestone: { milestoneDate: '2026-02-03', requestType: 'TBR', requestingState: 'DE', requestedState: 'FR', requestReceived: '2026-02-03', requestBasis: 'Art. 18(1)(b)' },
    DublinReplyMilestone: { milestoneDate: '2026-02-12', replyType: 'acceptance', legalBasis: 'Art. 18(1)(b)' },
    TransferDecisionMilestone: { milestoneDate: '2026-02-19', issuedOn: '2026-02-16' },
    AppealMilestone: { milestoneDate: '2026-02-24', actionFiled: '2026-02-24', urgentApplicationFiled: '2026-02-24', suspensiveEffect: true },
    SuspensiveEffectEndedMilestone: { milestoneDate: '2026-03-30', endedBy: 'urgentApplicationRejected', decisionNotifiedOn: '2026-04-01' },
    AbscondingMilestone: { milestoneDate: '2026-05-10', established: true },
    TransferExtensionNotifiedMilestone: { milestoneDate: '2026-05-20', ground: 'absconding' },
    AsylumDecisionMilestone: { milestoneDate: '2026-05-04', decisionType: 'rejected', issuedOn: '2026-04-28' },
  }
  const claims = table[type]
  if (!claims) throw new Error(`no synthetic claims for ${type}`)
  return structuredClone(claims)
}

/** The types of a five-milestone Dublin case and of a fifteen-milestone one, in procedure order. */
export const CASE_5 = [
  'AsylumRequestReferralMilestone',
  'AsylumRequestRecordReachedBamfMilestone',
  'EurodacHitMilestone',
  'DublinRequestMilestone',
  'DublinReplyMilestone',
]
export const CASE_15 = [
  'AsylumRequestReferralMilestone',
  'ArrivalCertificateMilestone',
  'MedicalExaminationMilestone',
  'AsylumRequestRecordReachedBamfMilestone',
  'EurodacHitMilestone',
  'VisHitMilestone',
  'FormalApplicationMilestone',
  'PersonalInterviewMilestone',
  'DublinRequestMilestone',
  'DublinReplyMilestone',
  'TransferDecisionMilestone',
  'AppealMilestone',
  'SuspensiveEffectEndedMilestone',
  'AsylumDecisionMilestone',
  'AbscondingMilestone',
]

export interface IssueOptions {
  type: string
  holder: string
  previous?: string | null
  issuer?: Entity
  claims?: Record<string, unknown>
  validFrom?: Date
  expirationDate?: Date
  issuedAt?: Date
  signerOverride?: Signer
  eurodacCommitment?: unknown
  supersedes?: string
  vcOverrides?: Record<string, unknown>
}

/**
 * A trust chain on the ledger fixture: Root TAO → TAO (Germany) → TI (BAMF Dublin unit, accredited
 * for every milestone type) and a second TI accredited only for arrival certificates; milestone
 * schemas in the TSR; status lists behind each TI's TIR proxy; anchoring through the Timestamp API.
 */
export class TestWorld {
  readonly ledger = new LedgerFixture()
  base = ''
  root!: Entity
  tao!: Entity
  ti!: Entity
  tiLimited!: Entity
  readonly schemaUrls = new Map<string, string>()

  async start(): Promise<this> {
    this.base = await this.ledger.start()
    const schemasUrl = `${this.base}/trusted-schemas-registry/v3/schemas`
    for (const type of ALL_TYPES) {
      const schema = credentialSchemaFor(type)
      const id = base58btc.encode(createHash('sha256').update(JSON.stringify(schema)).digest())
      this.ledger.schemas.set(id, schema)
      this.schemaUrls.set(type, `${schemasUrl}/${id}`)
    }
    this.root = this.entity()
    this.ledger.tprUsers.set(getEthereumAddress(this.root.controller.publicKeyJwk as never), ['TIR:setAttributeMetadata'])
    const rootBody = await issueAccreditation({
      issuer: { did: this.root.did, signer: this.root.assertion },
      subjectDid: this.root.did,
      kind: 'VerifiableAuthorisationForTrustChain',
      schemasUrl,
      reservedAttributeId: this.root.attributeId,
    })
    this.setAttribute(this.root, rootBody, 'RootTAO', this.root.did)
    this.tao = await this.accreditTao(DEU)
    this.ti = await this.accreditTi(ALL_TYPES)
    this.tiLimited = await this.accreditTi(['ArrivalCertificateMilestone'])
    return this
  }

  /**
   * Onboards a TAO under the Root TAO, accredited to accredit every milestone type within a
   * jurisdiction (an ATU URI; none with null).
   */
  async accreditTao(jurisdiction: string | null): Promise<Entity> {
    const tao = this.entity()
    const schemasUrl = `${this.base}/trusted-schemas-registry/v3/schemas`
    const body = await issueAccreditation({
      issuer: { did: this.root.did, signer: this.root.assertion },
      subjectDid: tao.did,
      kind: 'VerifiableAccreditationToAccredit',
      schemasUrl,
      reservedAttributeId: tao.attributeId,
      accreditedFor: ALL_TYPES.map((type) => ({
        schemaId: this.schemaUrls.get(type)!,
        types: ['VerifiableCredential', 'VerifiableAttestation', type],
        ...(jurisdiction ? { limitJurisdiction: jurisdiction } : {}),
      })),
      termsOfUse: this.root.attributeUrl,
    })
    this.setAttribute(tao, body, 'TAO', this.root.did)
    return tao
  }

  /**
   * Onboards and accredits a new TI under a TAO (Germany's by default) for the given milestone types,
   * limited to a jurisdiction (an ATU URI; Germany by default, none with null).
   */
  async accreditTi(types: readonly string[], jurisdiction: string | null = DEU, tao: Entity = this.tao): Promise<Entity> {
    const ti = this.entity()
    const body = await issueAccreditation({
      issuer: { did: tao.did, signer: tao.assertion },
      subjectDid: ti.did,
      kind: 'VerifiableAccreditationToAttest',
      schemasUrl: `${this.base}/trusted-schemas-registry/v3/schemas`,
      reservedAttributeId: ti.attributeId,
      accreditedFor: types.map((type) => ({
        schemaId: this.schemaUrls.get(type)!,
        types: ['VerifiableCredential', 'VerifiableAttestation', type],
        ...(jurisdiction ? { limitJurisdiction: jurisdiction } : {}),
      })),
      termsOfUse: tao.attributeUrl,
    })
    this.setAttribute(ti, body, 'TI', tao.did)
    await this.publishStatus(ti)
    return ti
  }

  async stop(): Promise<void> {
    await this.ledger.stop()
  }

  entity(): Entity {
    const did = newDid()
    const controller = signer('Secp256k1')
    const assertion = signer('Secp256r1')
    this.ledger.setDid(did, didDocument(did, controller, [assertion]))
    const attributeId = newAttributeId()
    return {
      did,
      controller,
      assertion,
      attributeId,
      attributeUrl: `${this.base}/trusted-issuers-registry/v5/issuers/${did}/attributes/${attributeId}`,
      proxyId: `0x${randomBytes(32).toString('hex')}`,
      bits: { revocation: new StatusListBits(), suspension: new StatusListBits() },
      nextIndex: 1 + Math.floor(Math.random() * 1000),
    }
  }

  setAttribute(entity: Entity, body: string, issuerType: string, tao: string): void {
    this.ledger.attributes.set(`${entity.did}/${entity.attributeId}`, {
      did: entity.did,
      attribute: { hash: createHash('sha256').update(body).digest('hex'), body, issuerType, tao, rootTao: this.root.did },
    })
  }

  setIssuerType(entity: Entity, issuerType: string): void {
    const record = this.ledger.attributes.get(`${entity.did}/${entity.attributeId}`)!
    record.attribute.issuerType = issuerType
  }

  statusUrl(entity: Entity, purpose: 'revocation' | 'suspension'): string {
    return `${this.base}/trusted-issuers-registry/v5/issuers/${entity.did}/proxies/${entity.proxyId}/status/${purpose}`
  }

  /** Signs both status lists of an issuer and serves them through its proxy. */
  async publishStatus(entity: Entity, signedBy: Entity = entity): Promise<void> {
    for (const purpose of ['revocation', 'suspension'] as const) {
      const jwt = await issueStatusListCredential({
        issuer: { did: signedBy.did, signer: signedBy.assertion },
        url: this.statusUrl(entity, purpose),
        schemasUrl: `${this.base}/trusted-schemas-registry/v3/schemas`,
        bits: entity.bits[purpose],
        statusPurpose: purpose,
      })
      this.ledger.proxied.set(`${entity.did}/${entity.proxyId}/status/${purpose}`, jwt)
    }
  }

  async setStatus(entity: Entity, index: number, purpose: 'revocation' | 'suspension', value = true): Promise<void> {
    entity.bits[purpose].set(index, value)
    await this.publishStatus(entity)
  }

  /** Issues a milestone credential in the issuer's format (EBSI VCDM 1.1 VerifiableAttestation). */
  async issue(options: IssueOptions): Promise<{ jwt: string; statusIndex: number; issuer: Entity }> {
    const issuer = options.issuer ?? this.ti
    const statusIndex = issuer.nextIndex++
    const issuedAt = options.issuedAt ?? new Date(Date.now() - 60_000)
    const validFrom = options.validFrom ?? issuedAt
    const expirationDate = options.expirationDate ?? new Date(Date.now() + 3 * 365 * 86_400_000)
    const status = (['revocation', 'suspension'] as const).map((purpose) => ({
      id: `${this.statusUrl(issuer, purpose)}#${statusIndex}`,
      type: 'StatusList2021Entry',
      statusPurpose: purpose,
      statusListIndex: String(statusIndex),
      statusListCredential: this.statusUrl(issuer, purpose),
    }))
    const vc: Record<string, unknown> & { id: string; validFrom: string; issued: string; expirationDate: string; credentialSubject: { id: string; [k: string]: unknown } } = {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      id: `urn:uuid:${randomUUID()}`,
      type: ['VerifiableCredential', 'VerifiableAttestation', options.type],
      issuer: issuer.did,
      issuanceDate: isoSeconds(validFrom),
      issued: isoSeconds(issuedAt),
      validFrom: isoSeconds(validFrom),
      expirationDate: isoSeconds(expirationDate),
      credentialSubject: {
        ...(options.claims ?? claimsFor(options.type)),
        id: options.holder,
        previousMilestoneHash: options.previous ?? null,
        ...(options.supersedes ? { supersedes: options.supersedes } : {}),
        ...(options.eurodacCommitment ? { eurodacCommitment: options.eurodacCommitment } : {}),
      },
      credentialSchema: { id: this.schemaUrls.get(options.type) ?? `${this.base}/trusted-schemas-registry/v3/schemas/zUnknown`, type: 'FullJsonSchemaValidator2021' },
      credentialStatus: status,
      termsOfUse: { id: issuer.attributeUrl, type: 'IssuanceCertificate' },
      ...(options.vcOverrides ?? {}),
    }
    const jwt = await signCredentialJwt({ did: issuer.did, signer: options.signerOverride ?? issuer.assertion }, vc)
    return { jwt, statusIndex, issuer }
  }

  /** Issues a chained case: each credential carries the hash of the previous one. */
  async issueCase(holder: string, types: readonly string[], issuer?: Entity): Promise<string[]> {
    const jwts: string[] = []
    let previous: string | null = null
    for (const type of types) {
      const { jwt } = await this.issue({ type, holder, previous, ...(issuer ? { issuer } : {}) })
      jwts.push(jwt)
      previous = hashOf(jwt)
    }
    return jwts
  }

  /**
   * Anchors a batch: RFC 9162 tree over salt ‖ SHA-256(jwt), padded to a power of two, its root
   * timestamped. Returns the inclusion proofs in the issuer's delivery format.
   */
  anchor(jwts: readonly string[], anchoredAt = new Date()): InclusionProof[] {
    let size = 1
    while (size < Math.max(jwts.length, 4)) size *= 2
    const leaves = Array.from({ length: size }, (_, i) =>
      i < jwts.length
        ? Buffer.concat([randomBytes(32), createHash('sha256').update(jwts[i]!).digest()])
        : randomBytes(64),
    )
    const h = (...parts: Buffer[]) => parts.reduce((hash, p) => hash.update(p), createHash('sha256')).digest()
    const levels: Buffer[][] = [leaves.map((l) => h(Buffer.from([0]), l))]
    while (levels.at(-1)!.length > 1) {
      const below = levels.at(-1)!
      levels.push(below.flatMap((_, i) => (i % 2 ? [] : [h(Buffer.from([1]), below[i]!, below[i + 1]!)])))
    }
    const root = `0x${levels.at(-1)![0]!.toString('hex')}`
    this.ledger.timestamps.set(timestampIdOf(root), {
      hash: root,
      timestampedBy: this.root.did,
      blockNumber: 7,
      timestamp: anchoredAt.toISOString(),
      transactionHash: `0x${randomBytes(32).toString('hex')}`,
    })
    return jwts.map((_, index) => {
      const proof: string[] = []
      let i = index
      for (let level = 0; level < levels.length - 1; level++) {
        proof.push(levels[level]![i ^ 1]!.toString('hex'))
        i >>= 1
      }
      return { leaf: leaves[index]!.toString('hex'), leafIndex: index, treeSize: size, proof, root, anchoredAt: anchoredAt.toISOString() }
    })
  }

  /** A holder did:key (EBSI natural-person profile). */
  holder(): HolderIdentity {
    return holderIdentityOf(signer('Secp256r1'))
  }

  presentation(holder: HolderIdentity, jwts: readonly string[], proofs: readonly InclusionProof[], audience: string, nonce: string) {
    return createPresentationJwt({ holder, credentials: jwts, anchoringProofs: proofs, audience, nonce })
  }

  /** Options for @cef-ebsi/verifiable-credential 5.5.0 against this ledger. */
  ebsiOptions() {
    return {
      ebsiAuthority: new URL(this.base).host,
      ebsiEnvConfig: {
        didRegistry: `${this.base}/did-registry/v5/identifiers`,
        trustedIssuersRegistry: `${this.base}/trusted-issuers-registry/v5/issuers`,
        trustedPoliciesRegistry: `${this.base}/trusted-policies-registry/v3/users`,
      },
    }
  }
}

export const hashOf = (jwt: string) => `sha-256:${createHash('sha256').update(jwt).digest('base64url')}`
export { signer as newSigner }
