import { type AccreditationReader, TrustChainError, walkAccreditationChain } from '@flora/ebsi-connector'
import { TrustSourceUnavailable } from '../errors.ts'
import { instantOf } from './as-of.ts'
import { methodJwk } from './issuer-signature.ts'
import { decodeJws, verifyJwsSignature } from './jws.ts'
import { rememberedPer } from './memo.ts'
import { type ParsedCredential, type PipelineContext, type StepResult, stepResult } from './types.ts'

const TIR_ATTRIBUTE = /^(https?:\/\/[^/]+)\/trusted-issuers-registry\/v\d+\/issuers\/[^/]+\/attributes\/[^/]+$/

/**
 * Chains that reached a trust anchor, for a minute, with the ledger objects they were built from and
 * the trust-anchor list they were checked against: a changed setting is a new list (TrustService
 * replaces it), so a chain established under the old one is walked again (one identity comparison).
 */
const chainCache = new Map<
  string,
  { at: number; sources: unknown[]; anchors: PipelineContext['trustAnchors']; result: StepResult }
>()

/** What a credential asks the chain walk to establish; failure: a reason code, when it cannot ask. */
type ChainRequest =
  | { termsOfUse: string; termsOfUseOrigin: string; schemaId: string | undefined; cacheKey: string }
  | { failure: string }

/** Depends on the credential's bytes alone. */
const chainRequestOf = rememberedPer(computeChainRequest)

function computeChainRequest(credential: ParsedCredential): ChainRequest {
  const termsOfUse = (Array.isArray(credential.vc.termsOfUse) ? credential.vc.termsOfUse : [credential.vc.termsOfUse])
    .filter((e): e is { id: string; type: string } => !!e && typeof e === 'object')
    .find((e) => e.type === 'IssuanceCertificate' && typeof e.id === 'string')?.id
  if (!termsOfUse) return { failure: 'terms-of-use-missing' }
  const tou = TIR_ATTRIBUTE.exec(termsOfUse)
  const schemas = Array.isArray(credential.vc.credentialSchema) ? credential.vc.credentialSchema : [credential.vc.credentialSchema]
  const schemaId = (schemas[0] as { id?: unknown } | undefined)?.id
  return {
    termsOfUse,
    termsOfUseOrigin: tou?.[1] ?? '',
    schemaId: typeof schemaId === 'string' ? schemaId : undefined,
    cacheKey: `${credential.issuer}|${termsOfUse}|${schemaId}|${credential.types.join(',')}`,
  }
}

/**
 * Step 5, accreditation chain: termsOfUse → the issuer's TIR attribute → … → a configured trust
 * anchor, each link covering the credential's type and schema, not revoked, valid now, its
 * accreditation signed by the accreditor; then the anchor's policy (types, jurisdictions).
 */
export async function checkAccreditation(credential: ParsedCredential, ctx: PipelineContext): Promise<StepResult> {
  const request = chainRequestOf(credential)
  if ('failure' in request) return stepResult('accreditation', 'failed', request.failure, {})
  const { termsOfUse, schemaId, cacheKey } = request
  if (request.termsOfUseOrigin !== ctx.ledgerOrigin)
    return stepResult('accreditation', 'failed', 'terms-of-use-untrusted', { termsOfUse })
  if (schemaId === undefined) return stepResult('accreditation', 'failed', 'schema-missing', {})

  const cached = chainCache.get(cacheKey)
  if (cached && cached.anchors === ctx.trustAnchors && ctx.now.getTime() - cached.at < 60_000) {
    // Still current when every source object it was built from is still the cached one.
    try {
      let current = true
      for (const link of (cached.result.details.chain as { attributeUrl: string }[] | undefined) ?? [])
        if (!cached.sources.includes(await ctx.readers.readAttribute(link.attributeUrl))) current = false
      if (current) return cached.result
    } catch {
      // fall through to a full walk, which reports the failure
    }
  }
  const used: unknown[] = []
  const reader: AccreditationReader = {
    readAttribute: async (url) => {
      if (!TIR_ATTRIBUTE.test(url) || new URL(url).origin !== ctx.ledgerOrigin) return undefined
      const record = await ctx.readers.readAttribute(url)
      used.push(record)
      return record
    },
    verifyAccreditation: async (jwt) => {
      const jws = decodeJws(jwt)
      const kid = String(jws.header.kid ?? '')
      const did = kid.split('#')[0] ?? ''
      // an iat no Date can hold (published by a hostile accreditor) is refused here, not met as a
      // RangeError in the cache key or the ledger query of the resolution
      const iat = typeof jws.payload.iat === 'number' ? instantOf(jws.payload.iat * 1000) : undefined
      if (typeof jws.payload.iat === 'number' && !iat) throw new Error('accreditation iat is not a usable date')
      const document = await ctx.readers.resolveDid(did, iat)
      used.push(document)
      if (!document) throw new Error(`accreditor ${did} is not in the DID Registry`)
      const jwk = methodJwk(document, kid, 'assertionMethod') ?? methodJwk(document, kid, 'authentication')
      if (!jwk || !verifyJwsSignature(jws, jwk)) throw new Error('accreditation signature does not verify')
      if (jws.payload.iss !== did) throw new Error('accreditation kid is not a key of its issuer')
    },
  }
  let result: StepResult
  try {
    const chain = await walkAccreditationChain(
      { issuer: credential.issuer, types: credential.types, schemaId, termsOfUse },
      reader,
      { trustAnchors: ctx.trustAnchors.map((a) => a.did), at: ctx.now },
    )
    const policy = ctx.trustAnchors.find((a) => a.did === chain.trustAnchor)
    const jurisdiction = chain.links[0]?.accreditedFor?.limitJurisdiction
    const links = chain.links.map((l) => ({ attributeUrl: l.attributeUrl, did: l.did, issuerType: l.issuerType }))
    if (policy?.types && !credential.types.some((t) => policy.types!.includes(t)))
      result = stepResult('accreditation', 'failed', 'anchor-not-trusted-for-type', { trustAnchor: chain.trustAnchor, chain: links })
    else if (policy?.jurisdictions && (!jurisdiction || !policy.jurisdictions.includes(jurisdiction)))
      result = stepResult('accreditation', 'failed', 'jurisdiction-not-accepted', {
        trustAnchor: chain.trustAnchor,
        jurisdiction: jurisdiction ?? null,
        chain: links,
      })
    else
      result = stepResult('accreditation', 'passed', 'ok', {
        trustAnchor: chain.trustAnchor,
        jurisdiction: jurisdiction ?? null,
        chain: links,
      })
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause
    if (error instanceof TrustSourceUnavailable || cause instanceof TrustSourceUnavailable)
      return stepResult('accreditation', 'not-established', 'ledger-unavailable', { message: (error as Error).message })
    if (error instanceof TrustChainError)
      return stepResult('accreditation', 'failed', reasonOf(error.code), {
        message: error.message,
        attributeUrl: error.attributeUrl ?? null,
      })
    return stepResult('accreditation', 'failed', 'accreditation-invalid', { message: (error as Error).message })
  }
  if (result.outcome === 'passed') {
    if (chainCache.size > 10_000) chainCache.clear()
    chainCache.set(cacheKey, { at: ctx.now.getTime(), sources: used, anchors: ctx.trustAnchors, result })
  }
  return result
}

function reasonOf(code: string): string {
  return code.replace(/^ERR_/, '').toLowerCase().replaceAll('_', '-')
}
