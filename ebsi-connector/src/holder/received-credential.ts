import { EbsiClient } from '../client/ebsi-client.ts'
import { EbsiProblem } from '../client/errors.ts'
import { type AccreditationReader, httpAccreditationReader, TrustChainError, walkAccreditationChain } from '../trust/index.ts'
import { CredentialRejected, OutboundRefused } from './errors.ts'
import { type DidDocumentLike, decodeJwt, keyOf, verifyEs256 } from './jwt-verify.ts'
import type { HolderCredentialRepository, InclusionProof, StoredCredential } from './repository.ts'

/**
 * Resolves a DID on the ledger, as it was at `validAt` when given (keys roll; an accreditation
 * signed years ago is checked against the key of its time). Undefined: the DID is not registered.
 * Throws when the registry cannot be asked.
 */
export type LedgerDidResolver = (did: string, validAt?: Date) => Promise<DidDocumentLike | undefined>

/** What a received credential is checked against before the wallet keeps it. */
export interface ReceivedCredentialPolicy {
  resolveDid: LedgerDidResolver
  /** The Trusted Issuers Registry (e.g. `httpAccreditationReader` limited to the ledger's origin). */
  accreditations: AccreditationReader
  /** DIDs accepted at the top of an issuer's accreditation chain; none configured → nothing is accepted. */
  trustAnchors: () => Promise<readonly string[]>
  now?: () => Date
  /** Tolerated clock difference for nbf/exp (default 60 s). */
  clockSkewSeconds?: number
}

interface VcClaim {
  id?: unknown
  type?: unknown
  issuer?: unknown
  credentialSubject?: { id?: unknown }
  credentialSchema?: unknown
  termsOfUse?: unknown
}

const reject = (reason: CredentialRejected['reason'], message: string, cause?: unknown) =>
  new CredentialRejected(reason, message, cause === undefined ? undefined : { cause })

/**
 * Checks a credential the holder received before it is kept: an ES256 JWT VC whose stored fields are
 * what the JWT says, about this holder (`sub`), within its validity window, signed by an
 * assertion key its issuer lists in the DID Registry, and whose issuer's accreditation chain —
 * each accreditation's signature checked too — covers its type and schema up to a trust anchor.
 * Fails closed: when the ledger cannot be asked, the credential is refused.
 * @throws {CredentialRejected}
 */
export async function verifyReceivedCredential(credential: StoredCredential, policy: ReceivedCredentialPolicy): Promise<void> {
  let header: Record<string, unknown>
  let payload: Record<string, unknown>
  try {
    ;({ header, payload } = decodeJwt(credential.jwt))
  } catch (cause) {
    throw reject('malformed', 'the credential is not a JWT', cause)
  }
  const vc = payload.vc as VcClaim | undefined
  if (!vc || typeof vc !== 'object') throw reject('malformed', 'the JWT carries no vc claim')
  const kid = typeof header.kid === 'string' ? header.kid : ''
  const issuer = kid.split('#')[0] ?? ''
  if (header.alg !== 'ES256' || !kid.includes('#') || !issuer.startsWith('did:'))
    throw reject('malformed', 'the credential is not signed with ES256 under a DID key')
  const vcIssuer = typeof vc.issuer === 'string' ? vc.issuer : (vc.issuer as { id?: unknown } | undefined)?.id
  if (payload.iss !== issuer || (vcIssuer !== undefined && vcIssuer !== issuer))
    throw reject('malformed', 'the credential is not signed by its issuer')
  const types = Array.isArray(vc.type) ? vc.type.filter((t): t is string => typeof t === 'string') : []
  const id = payload.jti ?? vc.id
  if (
    credential.id !== id ||
    credential.issuer !== issuer ||
    JSON.stringify(credential.types) !== JSON.stringify(types) ||
    types.length === 0
  )
    throw reject('not-as-delivered', 'the stored fields differ from the credential')

  if (payload.sub !== credential.holderDid || (vc.credentialSubject?.id !== undefined && vc.credentialSubject.id !== credential.holderDid))
    throw reject('subject', 'the credential is about another holder')

  const now = (policy.now ?? (() => new Date()))()
  const seconds = now.getTime() / 1000
  const skew = policy.clockSkewSeconds ?? 60
  if ((typeof payload.nbf === 'number' && payload.nbf > seconds + skew) || (typeof payload.exp === 'number' && payload.exp < seconds - skew))
    throw reject('validity', 'the credential is outside its validity period')

  await checkSignature(credential.jwt, kid, issuer, policy.resolveDid, ['assertionMethod'], undefined, 'signature')
  await checkAccreditation(issuer, types, vc, policy, now)
}

async function checkSignature(
  jwt: string,
  kid: string,
  did: string,
  resolveDid: LedgerDidResolver,
  relationships: ('assertionMethod' | 'authentication')[],
  validAt: Date | undefined,
  reason: 'signature' | 'accreditation',
): Promise<void> {
  let document: DidDocumentLike | undefined
  try {
    document = await resolveDid(did, validAt)
  } catch (cause) {
    throw reject('trust-unavailable', 'the DID Registry cannot be asked', cause)
  }
  if (!document) throw reject(reason, `${did} is not in the DID Registry`)
  const jwk = keyOf(document, kid, relationships)
  if (!jwk || !(await verifyEs256(jwt, jwk))) throw reject(reason, `the signature does not verify against a key of ${did}`)
}

async function checkAccreditation(issuer: string, types: string[], vc: VcClaim, policy: ReceivedCredentialPolicy, at: Date) {
  const termsOfUse = (Array.isArray(vc.termsOfUse) ? vc.termsOfUse : [vc.termsOfUse])
    .filter((e): e is { id?: unknown; type?: unknown } => !!e && typeof e === 'object')
    .find((e) => e.type === 'IssuanceCertificate' && typeof e.id === 'string')?.id as string | undefined
  const schemas = Array.isArray(vc.credentialSchema) ? vc.credentialSchema : [vc.credentialSchema]
  const schemaId = (schemas[0] as { id?: unknown } | undefined)?.id
  if (typeof schemaId !== 'string') throw reject('accreditation', 'the credential names no schema')
  let trustAnchors: readonly string[]
  try {
    trustAnchors = await policy.trustAnchors()
  } catch (cause) {
    throw reject('trust-unavailable', 'the trust anchors cannot be read', cause)
  }
  if (trustAnchors.length === 0) throw reject('trust-unavailable', 'no trust anchor is configured')
  const reader: AccreditationReader = {
    readAttribute: (url) => policy.accreditations.readAttribute(url),
    verifyAccreditation: async (jwt) => {
      const { header, payload } = decodeJwt(jwt)
      const kid = typeof header.kid === 'string' ? header.kid : ''
      const did = kid.split('#')[0] ?? ''
      if (payload.iss !== did) throw new Error('the accreditation is not signed by its issuer')
      const issuedAt = typeof payload.iat === 'number' ? new Date(payload.iat * 1000) : undefined
      await checkSignature(jwt, kid, did, policy.resolveDid, ['assertionMethod', 'authentication'], issuedAt, 'accreditation')
    },
  }
  try {
    await walkAccreditationChain({ issuer, types, schemaId, termsOfUse }, reader, { trustAnchors, at })
  } catch (error) {
    const cause = error instanceof TrustChainError ? error.cause : error
    if (cause instanceof CredentialRejected && cause.reason === 'trust-unavailable') throw cause
    if (!(error instanceof TrustChainError) || cause instanceof OutboundRefused)
      throw reject('trust-unavailable', 'the Trusted Issuers Registry cannot be asked', error)
    throw reject('accreditation', `the issuer is not accredited for this credential: ${error.message}`, error)
  }
}

/**
 * A repository that keeps only what {@link verifyReceivedCredential} accepts: the check sits where
 * credentials are stored, so it holds whichever protocol code delivered them.
 */
export class VerifyingHolderRepository implements HolderCredentialRepository {
  constructor(
    private readonly inner: HolderCredentialRepository,
    private readonly policy: ReceivedCredentialPolicy,
  ) {}

  async save(credential: StoredCredential): Promise<void> {
    await verifyReceivedCredential(credential, this.policy)
    await this.inner.save(credential)
  }

  list(holderDid: string): Promise<StoredCredential[]> {
    return this.inner.list(holderDid)
  }

  saveInclusionProof(holderDid: string, id: string, proof: InclusionProof): Promise<void> {
    return this.inner.saveInclusionProof(holderDid, id, proof)
  }
}

/**
 * The policy against one ledger, through the EBSI client (DID Registry, resolved at a date when
 * asked) and the Trusted Issuers Registry reader, both limited to the ledger's origin. Pass a
 * guarded fetch so that these reads get a timeout and a size cap too.
 */
export function ledgerCredentialPolicy(args: {
  ledgerUrl: string
  fetch?: typeof fetch
  trustAnchors: () => Promise<readonly string[]>
  now?: () => Date
}): ReceivedCredentialPolicy {
  const ebsi = new EbsiClient({ baseUrl: args.ledgerUrl, ...(args.fetch ? { fetch: args.fetch } : {}) })
  return {
    resolveDid: async (did, validAt) => {
      try {
        return (await ebsi.didRegistry.resolve(did, validAt ? { validAt } : {})) as unknown as DidDocumentLike
      } catch (error) {
        // unknown (404) or not a DID the registry accepts (400): not registered
        if (error instanceof EbsiProblem && (error.status === 404 || error.status === 400)) return undefined
        throw error
      }
    },
    accreditations: httpAccreditationReader({ allowedOrigins: [args.ledgerUrl], ...(args.fetch ? { fetch: args.fetch } : {}) }),
    trustAnchors: args.trustAnchors,
    ...(args.now ? { now: args.now } : {}),
  }
}
