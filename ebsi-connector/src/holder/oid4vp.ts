import { PresentationDefinitionUnsatisfied, PresentationRequestRejected } from './errors.ts'
import type { HolderIdentity } from './identity.ts'
import { type DidDocumentResolver, decodeJwt, keyOf, verifyEs256 } from './jwt-verify.ts'
import {
  buildPresentationSubmission,
  matchPresentationDefinition,
  type PresentationDefinition,
  type PresentationSubmission,
} from './pex.ts'
import { createPresentationJwt } from './presentation.ts'
import type { StoredCredential } from './repository.ts'

/** A presentation request whose signature has been verified: what the wallet shows before consent. */
export interface VerifiedPresentationRequest {
  /**
   * Who asks: the verifier's DID (client_id, bound by the signature) and the name it gives itself
   * (client_name: self-asserted — show a name from a source the deployment trusts instead).
   */
  verifier: { did: string; name: string | undefined }
  definition: PresentationDefinition
  nonce: string
  state: string
  responseUri: string
  responseMode: 'direct_post'
  expiresAt: Date | undefined
  requestObject: string
}

/** Options shared by the OpenID4VP holder functions. */
export interface Oid4vpHolderOptions {
  fetch?: typeof fetch
  /** Resolves the verifier's did:ebsi (DID Registry). */
  resolveDid: DidDocumentResolver
  now?: () => Date
}

/**
 * Takes an authorization request by reference (`openid4vp://?client_id=…&request_uri=…`, also
 * `openid://` or an https link), fetches the request object, and verifies that it is signed by a key
 * of the client_id's DID (authentication or assertionMethod), asks for a vp_token by direct_post,
 * carries a nonce, a state and a presentation definition, and has not expired.
 * @throws {PresentationRequestRejected} naming what is wrong
 */
export async function receivePresentationRequest(
  requestUrl: string,
  options: Oid4vpHolderOptions,
): Promise<VerifiedPresentationRequest> {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    throw new PresentationRequestRejected('the request is not a URL')
  }
  const requestUri = url.searchParams.get('request_uri')
  const clientId = url.searchParams.get('client_id')
  if (!requestUri) throw new PresentationRequestRejected('"request_uri" missing: requests are accepted by reference only')
  const response = await (options.fetch ?? fetch)(requestUri, {
    headers: { accept: 'application/oauth-authz-req+jwt, application/jwt' },
  })
  if (!response.ok) throw new PresentationRequestRejected(`request_uri answered ${response.status}`)
  const jwt = (await response.text()).trim()
  let header: Record<string, unknown>
  let claims: Record<string, unknown>
  try {
    ;({ header, payload: claims } = decodeJwt(jwt))
  } catch {
    throw new PresentationRequestRejected('the request object is not a JWT')
  }
  if (header.alg !== 'ES256') throw new PresentationRequestRejected('the request object must be signed with ES256')
  const kid = typeof header.kid === 'string' ? header.kid : ''
  const did = kid.split('#')[0] ?? ''
  if (!did.startsWith('did:')) throw new PresentationRequestRejected('the request object kid is not a DID URL')
  if (claims.client_id !== did || (claims.iss !== undefined && claims.iss !== did))
    throw new PresentationRequestRejected('the request object is not signed by its client_id')
  if (clientId !== null && clientId !== did)
    throw new PresentationRequestRejected('client_id of the link differs from the signed request')
  const document = await options.resolveDid(did)
  if (!document) throw new PresentationRequestRejected(`the verifier ${did} cannot be resolved`)
  const jwk = keyOf(document, kid, ['authentication', 'assertionMethod'])
  if (!jwk || !(await verifyEs256(jwt, jwk)))
    throw new PresentationRequestRejected('the request object signature does not verify against the verifier DID')
  const now = (options.now ?? (() => new Date()))().getTime() / 1000
  if (typeof claims.exp === 'number' && claims.exp < now) throw new PresentationRequestRejected('the request has expired')
  if (claims.response_type !== 'vp_token') throw new PresentationRequestRejected('response_type must be vp_token')
  if (claims.response_mode !== 'direct_post') throw new PresentationRequestRejected('response_mode must be direct_post')
  const responseUri = claims.response_uri ?? claims.redirect_uri
  if (typeof responseUri !== 'string' || !/^https?:\/\//.test(responseUri))
    throw new PresentationRequestRejected('response_uri missing')
  if (typeof claims.nonce !== 'string' || typeof claims.state !== 'string')
    throw new PresentationRequestRejected('nonce and state are required')
  const definition = claims.presentation_definition as PresentationDefinition | undefined
  if (!definition || typeof definition !== 'object' || !Array.isArray(definition.input_descriptors))
    throw new PresentationRequestRejected('presentation_definition missing')
  const metadata = claims.client_metadata as { client_name?: unknown } | undefined
  return {
    verifier: { did, name: typeof metadata?.client_name === 'string' ? metadata.client_name : undefined },
    definition,
    nonce: claims.nonce,
    state: claims.state,
    responseUri,
    responseMode: 'direct_post',
    expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined,
    requestObject: jwt,
  }
}

/** What the verifier answered: where it redirects, with a code or an error. */
export interface PresentationResponseResult {
  redirectUri: string | undefined
  code: string | undefined
  error: string | undefined
  errorDescription: string | undefined
  submission: PresentationSubmission | undefined
}

/**
 * After the user's consent: selects the credentials the definition asks for, builds the VP JWT
 * (aud = the verifier's client_id, the request's nonce, inclusion proofs attached), posts it by
 * direct_post and follows the redirect the verifier answers with.
 * @throws {PresentationDefinitionUnsatisfied} when the wallet lacks a requested credential
 */
export async function answerPresentationRequest(args: {
  request: VerifiedPresentationRequest
  holder: HolderIdentity
  credentials: readonly StoredCredential[]
  fetch?: typeof fetch
  /** Follow an http(s) redirect (default false: the wallet shows it). */
  followRedirect?: boolean
}): Promise<PresentationResponseResult> {
  const { request, holder } = args
  const jwts = args.credentials.map((c) => c.jwt)
  const match = matchPresentationDefinition(request.definition, jwts)
  if (!match.satisfied)
    throw new PresentationDefinitionUnsatisfied(`no credential for: ${match.missing.join(', ')}`)
  const order = [...new Set(match.selected.flatMap((s) => s.indexes))]
  const chosen = order.map((i) => args.credentials[i]!)
  const vpToken = await createPresentationJwt({
    holder,
    credentials: chosen.map((c) => c.jwt),
    audience: request.verifier.did,
    nonce: request.nonce,
    anchoringProofs: chosen.flatMap((c) => (c.inclusionProof ? [c.inclusionProof] : [])),
  })
  const submission = buildPresentationSubmission(request.definition, match, order)
  const body = new URLSearchParams({
    vp_token: vpToken,
    presentation_submission: JSON.stringify(submission),
    state: request.state,
  })
  return postDirect(request.responseUri, body, args.fetch, args.followRedirect, submission)
}

/** Declines a request: posts error=access_denied so the verifier closes the transaction. */
export function declinePresentationRequest(request: VerifiedPresentationRequest, fetchImpl?: typeof fetch) {
  const body = new URLSearchParams({ error: 'access_denied', error_description: 'the holder declined', state: request.state })
  return postDirect(request.responseUri, body, fetchImpl, false, undefined)
}

async function postDirect(
  uri: string,
  body: URLSearchParams,
  fetchImpl: typeof fetch | undefined,
  follow: boolean | undefined,
  submission: PresentationSubmission | undefined,
): Promise<PresentationResponseResult> {
  const doFetch = fetchImpl ?? fetch
  const response = await doFetch(uri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    redirect: 'manual',
  })
  let location = response.headers.get('location') ?? undefined
  if (!location && response.headers.get('content-type')?.includes('json')) {
    const json = (await response.json().catch(() => ({}))) as { redirect_uri?: unknown }
    if (typeof json.redirect_uri === 'string') location = json.redirect_uri
  } else await response.body?.cancel()
  const parsed = location ? new URL(location) : undefined
  if (follow && location && /^https?:/.test(location)) await (await doFetch(location)).body?.cancel()
  return {
    redirectUri: location,
    code: parsed?.searchParams.get('code') ?? undefined,
    error: parsed?.searchParams.get('error') ?? (response.status >= 400 ? `http_${response.status}` : undefined),
    errorDescription: parsed?.searchParams.get('error_description') ?? undefined,
    submission,
  }
}
