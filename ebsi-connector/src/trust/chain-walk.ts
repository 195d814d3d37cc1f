import {
  AccreditationExpired,
  AccreditationInvalid,
  AccreditationJurisdictionMismatch,
  AccreditationLoop,
  AccreditationNotFound,
  AccreditationRevoked,
  AccreditationSchemaNotCovered,
  AccreditationTypeNotCovered,
  TermsOfUseMissing,
  UntrustedTrustAnchor,
} from './errors.ts'

/** A TIR attribute as `GET /trusted-issuers-registry/v5/issuers/{did}/attributes/{id}` returns it. */
export interface TirAttribute {
  did: string
  attribute: {
    hash: string
    /** The accreditation VC JWT ('' when pre-registered but not yet written). */
    body: string
    issuerType: 'RootTAO' | 'TAO' | 'TI' | 'Revoked' | string
    tao: string
    rootTao: string
  }
}

/**
 * Where the walk reads attributes from: the TIR over HTTP, or a cache in front of it (the verifier).
 * `readAttribute` returns undefined for an unknown attribute.
 */
export interface AccreditationReader {
  readAttribute(attributeUrl: string): Promise<TirAttribute | undefined>
  /** Optional: verify an accreditation JWT's signature; throw to reject it. */
  verifyAccreditation?(jwt: string, attribute: TirAttribute): Promise<void>
}

/** One entry of `credentialSubject.accreditedFor`. */
export interface AccreditedFor {
  schemaId: string
  types: string[]
  limitJurisdiction?: string
}

/** What is being checked: the credential whose issuer's chain we walk. */
export interface ChainWalkSubject {
  issuer: string
  /** The credential's `type` array. */
  types: readonly string[]
  /** The credential's `credentialSchema.id` (the domain schema). */
  schemaId: string
  /** The `termsOfUse.id` of type IssuanceCertificate (the issuer's TIR attribute URL). */
  termsOfUse: string | undefined
  /** If set, every jurisdiction limit on the way must equal this value. */
  jurisdiction?: string
}

/** Walk configuration. */
export interface ChainWalkPolicy {
  /** DIDs accepted as the top of a chain (the pilot Root TAO; EBSI's Support Office on EBSI). */
  trustAnchors: readonly string[]
  /** Longest chain accepted (default 8). */
  maxDepth?: number
  /** Instant at which accreditations must be valid (default now). */
  at?: Date
}

/** One verified link of the chain. */
export interface AccreditationLink {
  attributeUrl: string
  did: string
  issuerType: string
  /** The accreditation credential's types (e.g. VerifiableAccreditationToAttest). */
  accreditationTypes: string[]
  /** DID that issued this accreditation. */
  accreditedBy: string
  /** The accreditedFor entry that covered the credential (undefined at the root). */
  accreditedFor: AccreditedFor | undefined
}

/** A chain from the credential's issuer up to a trust anchor. */
export interface AccreditationChain {
  links: AccreditationLink[]
  trustAnchor: string
}

interface AccreditationVc {
  type?: unknown
  issuer?: unknown
  validFrom?: unknown
  expirationDate?: unknown
  credentialSubject?: { id?: unknown; accreditedFor?: unknown }
  termsOfUse?: unknown
}

const TRUST_CHAIN_ROOT_TYPE = 'VerifiableAuthorisationForTrustChain'
const TAO_TYPE = 'VerifiableAccreditationToAccredit'
const TI_TYPE = 'VerifiableAccreditationToAttest'

/**
 * Walks a credential's accreditation chain: termsOfUse → the issuer's TIR attribute → the
 * accreditation's termsOfUse → the accreditor's attribute → … until a configured trust anchor.
 * At each link: the attribute belongs to the entity, is not Revoked, its accreditation is of the
 * type its issuerType demands, valid at `at`, and (below the root) has an `accreditedFor` entry with
 * the credential's schemaId whose types include all of the credential's types and whose
 * jurisdiction limit agrees with its parent's and the requested one.
 *
 * @throws a {@link TrustChainError} subclass naming the failing link
 */
export async function walkAccreditationChain(
  subject: ChainWalkSubject,
  reader: AccreditationReader,
  policy: ChainWalkPolicy,
): Promise<AccreditationChain> {
  const maxDepth = policy.maxDepth ?? 8
  const at = policy.at ?? new Date()
  const anchors = new Set(policy.trustAnchors)
  const visited = new Set<string>()
  const links: AccreditationLink[] = []

  let entity = subject.issuer
  let url = subject.termsOfUse
  let childJurisdiction: string | undefined | null = null // null = no child yet

  if (!url)
    throw new TermsOfUseMissing(`credential of ${subject.issuer} has no IssuanceCertificate termsOfUse`)

  for (;;) {
    if (visited.has(url)) throw new AccreditationLoop(`the chain returns to ${url}`, url)
    if (visited.size >= maxDepth)
      throw new AccreditationLoop(`the chain is longer than ${maxDepth} links`, url)
    visited.add(url)

    const segments = new URL(url).pathname.split('/')
    if (segments[segments.length - 3] !== entity || segments[segments.length - 2] !== 'attributes')
      throw new AccreditationInvalid(`termsOfUse ${url} is not an attribute of ${entity}`, url)

    const record = await reader.readAttribute(url)
    if (!record) throw new AccreditationNotFound(`no TIR attribute at ${url}`, url)
    if (record.did !== entity)
      throw new AccreditationInvalid(`attribute ${url} belongs to ${record.did}`, url)
    if (record.attribute.issuerType === 'Revoked') throw new AccreditationRevoked(`${entity} is revoked`, url)
    if (!record.attribute.body)
      throw new AccreditationNotFound(`attribute ${url} has no accreditation yet`, url)

    const vc = decodeVc(record.attribute.body, url)
    if (reader.verifyAccreditation) {
      try {
        await reader.verifyAccreditation(record.attribute.body, record)
      } catch (cause) {
        throw new AccreditationInvalid(`accreditation at ${url} does not verify`, url, { cause })
      }
    }
    const types = Array.isArray(vc.type) ? vc.type.filter((t): t is string => typeof t === 'string') : []
    const accreditedBy = issuerOf(vc)
    if (vc.credentialSubject?.id !== entity)
      throw new AccreditationInvalid(
        `accreditation at ${url} is about ${String(vc.credentialSubject?.id)}`,
        url,
      )
    checkValidity(vc, at, url)

    const issuerType = record.attribute.issuerType
    const isRoot =
      issuerType === 'RootTAO' ||
      types.includes(TRUST_CHAIN_ROOT_TYPE) ||
      isSelfAttestationForTrustChain(vc, types)
    if (!isRoot) {
      const expected = issuerType === 'TAO' ? TAO_TYPE : issuerType === 'TI' ? TI_TYPE : undefined
      if (!expected) throw new AccreditationInvalid(`attribute ${url} has issuerType ${issuerType}`, url)
      if (!types.includes(expected))
        throw new AccreditationInvalid(
          `a ${issuerType} attribute must hold a ${expected}, found ${types.join(',')}`,
          url,
        )
    }

    let covered: AccreditedFor | undefined
    if (!isRoot) {
      covered = coveringEntry(vc, subject, url)
      const limit = covered.limitJurisdiction
      if (subject.jurisdiction !== undefined && limit !== undefined && limit !== subject.jurisdiction)
        throw new AccreditationJurisdictionMismatch(`${entity} is limited to ${limit}`, url)
      if (childJurisdiction !== null && limit !== undefined && childJurisdiction !== limit)
        throw new AccreditationJurisdictionMismatch(
          `${entity} (limited to ${limit}) accredited a link limited to ${childJurisdiction ?? 'no jurisdiction'}`,
          url,
        )
      childJurisdiction = limit
    }

    links.push({
      attributeUrl: url,
      did: entity,
      issuerType,
      accreditationTypes: types,
      accreditedBy,
      accreditedFor: covered,
    })

    if (anchors.has(entity)) return { links, trustAnchor: entity }
    if (isRoot)
      throw new UntrustedTrustAnchor(`chain ends at ${entity}, which is not a configured trust anchor`, url)

    const next = termsOfUseOf(vc)
    if (!next)
      throw new UntrustedTrustAnchor(`accreditation of ${entity} has no termsOfUse and is no anchor`, url)
    entity = accreditedBy
    url = next
  }
}

function decodeVc(jwt: string, url: string): AccreditationVc {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      vc?: AccreditationVc
    }
    if (!payload.vc || typeof payload.vc !== 'object') throw new Error('no vc claim')
    return payload.vc
  } catch (cause) {
    throw new AccreditationInvalid(`attribute ${url} does not hold a JWT VC`, url, { cause })
  }
}

function issuerOf(vc: AccreditationVc): string {
  const issuer = vc.issuer
  if (typeof issuer === 'string') return issuer
  if (issuer && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string')
    return (issuer as { id: string }).id
  return ''
}

function termsOfUseOf(vc: AccreditationVc): string | undefined {
  const list = Array.isArray(vc.termsOfUse) ? vc.termsOfUse : vc.termsOfUse ? [vc.termsOfUse] : []
  for (const entry of list) {
    if (entry && typeof entry === 'object') {
      const { id, type } = entry as { id?: unknown; type?: unknown }
      if (type === 'IssuanceCertificate' && typeof id === 'string') return id
    }
  }
  return undefined
}

function accreditedForOf(vc: AccreditationVc): AccreditedFor[] {
  const raw = vc.credentialSubject?.accreditedFor
  if (!Array.isArray(raw)) return []
  return raw.filter(
    (e): e is AccreditedFor =>
      !!e && typeof e === 'object' && typeof e.schemaId === 'string' && Array.isArray(e.types),
  )
}

function coveringEntry(vc: AccreditationVc, subject: ChainWalkSubject, url: string): AccreditedFor {
  const forSchema = accreditedForOf(vc).filter((e) => e.schemaId === subject.schemaId)
  if (forSchema.length === 0)
    throw new AccreditationSchemaNotCovered(
      `accreditation at ${url} does not cover schema ${subject.schemaId}`,
      url,
    )
  const entry = forSchema.find((e) => subject.types.every((t) => e.types.includes(t)))
  if (!entry) {
    const missing = subject.types.filter((t) => !forSchema.some((e) => e.types.includes(t)))
    throw new AccreditationTypeNotCovered(
      `accreditation at ${url} does not cover type(s) ${(missing.length ? missing : subject.types).join(', ')}`,
      url,
    )
  }
  return entry
}

function checkValidity(vc: AccreditationVc, at: Date, url: string): void {
  const from = typeof vc.validFrom === 'string' ? Date.parse(vc.validFrom) : Number.NaN
  const until = typeof vc.expirationDate === 'string' ? Date.parse(vc.expirationDate) : Number.NaN
  if (!Number.isNaN(from) && at.getTime() < from)
    throw new AccreditationExpired(`accreditation at ${url} is not yet valid`, url)
  if (!Number.isNaN(until) && at.getTime() > until)
    throw new AccreditationExpired(`accreditation at ${url} has expired`, url)
}

function isSelfAttestationForTrustChain(vc: AccreditationVc, types: string[]): boolean {
  return (
    types.includes(TI_TYPE) &&
    issuerOf(vc) === vc.credentialSubject?.id &&
    accreditedForOf(vc).some((e) => e.types.includes(TRUST_CHAIN_ROOT_TYPE))
  )
}
