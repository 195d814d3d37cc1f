import { TrustSourceUnavailable } from '../errors.ts'
import type { DidDocument } from '../trust/readers.ts'
import { verifyRememberedJwsSignature } from './jws.ts'
import { type ParsedCredential, type PipelineContext, type StepResult, stepResult } from './types.ts'

/** The public JWK of a verification method in a relationship of a DID document, if present. */
export function methodJwk(
  document: DidDocument,
  kid: string,
  relationship: 'assertionMethod' | 'authentication',
): Record<string, unknown> | undefined {
  const fragment = kid.slice(kid.indexOf('#'))
  const matches = (id: string) => id === kid || id === fragment
  const listed = (document[relationship] ?? []).some((entry) => matches(typeof entry === 'string' ? entry : entry.id))
  if (!listed) return undefined
  const method = (document.verificationMethod ?? []).find((vm) => matches(vm.id))
  if (method?.publicKeyJwk) return method.publicKeyJwk
  const embedded = (document[relationship] ?? []).find(
    (entry): entry is { id: string; publicKeyJwk?: Record<string, unknown> } =>
      typeof entry === 'object' && matches(entry.id),
  )
  return embedded?.publicKeyJwk
}

/**
 * Step 2, issuer DID resolution and signature: the issuer's DID document as of the anchoring time
 * (valid-at; the current one when no anchoring time is established, so that a key removed after a
 * compromise cannot sign back-dated credentials), the kid in its assertionMethod, the signature.
 */
export async function checkIssuerSignature(
  credential: ParsedCredential,
  ctx: PipelineContext,
  anchoredAt: Date | undefined,
  /** SHA-256 of the credential JWT, when the caller computed it already. */
  tokenSha256?: Buffer,
): Promise<StepResult> {
  const resolvedAt = anchoredAt ? 'anchoring-time' : 'now'
  let document: DidDocument | undefined
  try {
    document = await ctx.readers.resolveDid(credential.issuer, anchoredAt)
  } catch (error) {
    if (error instanceof TrustSourceUnavailable)
      return stepResult('issuer-signature', 'not-established', 'ledger-unavailable', {
        message: error.message,
        resolvedAt,
      })
    throw error
  }
  if (!document)
    return stepResult('issuer-signature', 'failed', 'issuer-did-unknown', { did: credential.issuer, resolvedAt })
  const jwk = methodJwk(document, credential.kid, 'assertionMethod')
  if (!jwk)
    return stepResult('issuer-signature', 'failed', 'key-not-in-assertion-method', {
      kid: credential.kid,
      resolvedAt,
      ...(anchoredAt ? { validAt: anchoredAt.toISOString() } : {}),
    })
  const valid = await verifyRememberedJwsSignature(
    { header: credential.header, payload: credential.payload, signingInput: credential.signingInput, signature: credential.signature, token: credential.token },
    jwk,
    tokenSha256,
  )
  if (!valid) return stepResult('issuer-signature', 'failed', 'signature-invalid', { kid: credential.kid, resolvedAt })
  return stepResult('issuer-signature', 'passed', 'ok', {
    did: credential.issuer,
    kid: credential.kid,
    resolvedAt,
    ...(anchoredAt ? { validAt: anchoredAt.toISOString() } : {}),
  })
}
