import { CredentialOfferInvalid, IssuerRefused } from './errors.ts'
import type { HolderIdentity } from './identity.ts'
import type { InclusionProof } from './repository.ts'

const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'

/** The two OpenID4VCI profiles the issuer serves. */
export type Oid4vciProfile = 'ebsi-v3' | 'v1'

/** What a redeemed offer yields. */
export interface RedeemedCredential {
  jwt: string
  profile: Oid4vciProfile
  credentialIssuer: string
  /** The issuer's inclusion proof, when the batch was already anchored. */
  inclusionProof?: InclusionProof
  /** Where to poll the inclusion proof later. */
  anchoringUri?: string
}

/** Options of {@link redeemCredentialOffer}. */
export interface RedeemOfferArgs {
  /** `openid-credential-offer://?credential_offer=…` or `…credential_offer_uri=…`, or the offer object. */
  offer: string | Record<string, unknown>
  /** The transaction code (tx_code; draft 11: user_pin) the authority gave the holder. */
  txCode?: string
  holder: HolderIdentity
  fetch?: typeof fetch
  /** Deferred (draft 11 acceptance_token): poll interval and attempts. */
  deferredIntervalMs?: number
  deferredAttempts?: number
  now?: () => Date
}

/** Retry-After in seconds (the delay form; an HTTP date is read as well), if the answer has one. */
function retryAfterOf(response: Response): number | undefined {
  const header = response.headers.get('retry-after')?.trim()
  if (!header) return undefined
  const seconds = /^\d{1,9}$/.test(header) ? Number(header) : (Date.parse(header) - Date.now()) / 1000
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined
}

async function json(response: Response, what: string): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {}
  try {
    body = (await response.json()) as Record<string, unknown>
  } catch {
    // non-JSON body: reported below
  }
  if (!response.ok)
    throw new IssuerRefused(
      String(body.error ?? `http_${response.status}`),
      `${what}: ${String(body.error_description ?? body.detail ?? body.error ?? response.status)}`,
      response.status,
      retryAfterOf(response),
    )
  return body
}

/** Parses a credential offer (by value or by reference). */
export async function resolveCredentialOffer(
  offer: RedeemOfferArgs['offer'],
  fetchImpl: typeof fetch = fetch,
): Promise<Record<string, unknown>> {
  if (typeof offer !== 'string') return offer
  let url: URL
  try {
    url = new URL(offer)
  } catch {
    throw new CredentialOfferInvalid('the offer is not a URL')
  }
  const byValue = url.searchParams.get('credential_offer')
  if (byValue) {
    try {
      return JSON.parse(byValue) as Record<string, unknown>
    } catch {
      throw new CredentialOfferInvalid('credential_offer is not JSON')
    }
  }
  const byReference = url.searchParams.get('credential_offer_uri')
  if (byReference) return json(await fetchImpl(byReference), 'credential_offer_uri')
  throw new CredentialOfferInvalid('neither credential_offer nor credential_offer_uri')
}

/**
 * Redeems a pre-authorised credential offer with the holder's did:key, in either profile: EBSI
 * conformance v3 (draft 11: credentials_supported, user_pin, c_nonce in the token response,
 * deferred with acceptance_token) or OpenID4VCI 1.0 (credential_configurations_supported, tx_code,
 * nonce endpoint). The proof JWT has typ openid4vci-proof+jwt, aud = the credential issuer, the
 * issuer's c_nonce and the holder's kid.
 * @throws {CredentialOfferInvalid} | {IssuerRefused}
 */
export async function redeemCredentialOffer(args: RedeemOfferArgs): Promise<RedeemedCredential[]> {
  const doFetch = args.fetch ?? fetch
  const offer = await resolveCredentialOffer(args.offer, doFetch)
  const credentialIssuer = offer.credential_issuer
  if (typeof credentialIssuer !== 'string') throw new CredentialOfferInvalid('"credential_issuer" missing')
  const grant = (offer.grants as Record<string, Record<string, unknown>> | undefined)?.[PRE_AUTHORIZED_GRANT]
  const code = grant?.['pre-authorized_code']
  if (typeof code !== 'string') throw new CredentialOfferInvalid('no pre-authorised code grant')
  const profile: Oid4vciProfile = Array.isArray(offer.credential_configuration_ids) ? 'v1' : 'ebsi-v3'
  const requested = (profile === 'v1' ? offer.credential_configuration_ids : offer.credentials) as unknown[]
  if (!Array.isArray(requested) || requested.length === 0) throw new CredentialOfferInvalid('the offer lists no credential')

  const metadata = await json(
    await doFetch(`${credentialIssuer}/.well-known/openid-credential-issuer`),
    'credential issuer metadata',
  )
  const authServer =
    profile === 'v1'
      ? ((metadata.authorization_servers as string[] | undefined)?.[0] ?? credentialIssuer)
      : ((metadata.authorization_server as string | undefined) ?? credentialIssuer)
  const asMetadata = await json(
    await doFetch(`${authServer}/.well-known/${profile === 'v1' ? 'oauth-authorization-server' : 'openid-configuration'}`),
    'authorization server metadata',
  )
  const tokenEndpoint = String(asMetadata.token_endpoint ?? `${authServer}/token`)
  const form = new URLSearchParams({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code })
  if (args.txCode !== undefined) form.set(profile === 'v1' ? 'tx_code' : 'user_pin', args.txCode)
  const token = await json(
    await doFetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    }),
    'token request',
  )
  const accessToken = token.access_token
  if (typeof accessToken !== 'string') throw new IssuerRefused('invalid_response', 'no access_token', 200)
  let nonce = typeof token.c_nonce === 'string' ? token.c_nonce : undefined
  const nonceEndpoint = typeof metadata.nonce_endpoint === 'string' ? metadata.nonce_endpoint : undefined
  const credentialEndpoint = String(metadata.credential_endpoint ?? `${credentialIssuer}/credential`)
  const results: RedeemedCredential[] = []
  for (const entry of requested) {
    if (profile === 'v1' && nonceEndpoint) {
      const fresh = await json(await doFetch(nonceEndpoint, { method: 'POST' }), 'nonce request')
      nonce = typeof fresh.c_nonce === 'string' ? fresh.c_nonce : nonce
    }
    if (!nonce) throw new IssuerRefused('invalid_response', 'the issuer gave no c_nonce', 200)
    const now = Math.floor((args.now ?? (() => new Date()))().getTime() / 1000)
    const proof = await args.holder.signer.signJwt(
      { iss: args.holder.did, aud: credentialIssuer, iat: now, nonce },
      { typ: 'openid4vci-proof+jwt', kid: args.holder.kid },
    )
    const body =
      profile === 'v1'
        ? { credential_configuration_id: String(entry), proofs: { jwt: [proof] } }
        : {
            format: 'jwt_vc',
            types: typeOfDraft11Entry(entry, metadata),
            proof: { proof_type: 'jwt', jwt: proof },
          }
    const response = await json(
      await doFetch(credentialEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify(body),
      }),
      'credential request',
    )
    if (typeof response.c_nonce === 'string') nonce = response.c_nonce
    let credential =
      typeof response.credential === 'string'
        ? response.credential
        : ((response.credentials as { credential?: unknown }[] | undefined)?.[0]?.credential as string | undefined)
    let anchoring = response.anchoring as InclusionProof | undefined
    if (!credential && typeof response.acceptance_token === 'string') {
      const deferred = await pollDeferred(
        doFetch,
        String(metadata.deferred_credential_endpoint ?? `${credentialIssuer}/credential_deferred`),
        response.acceptance_token,
        args.deferredIntervalMs ?? 1000,
        args.deferredAttempts ?? 30,
      )
      credential = deferred.credential
      anchoring = deferred.anchoring
    }
    if (typeof credential !== 'string') throw new IssuerRefused('invalid_response', 'no credential in the response', 200)
    results.push({
      jwt: credential,
      profile,
      credentialIssuer,
      ...(anchoring ? { inclusionProof: anchoring } : {}),
      ...(typeof response.anchoring_uri === 'string' ? { anchoringUri: response.anchoring_uri } : {}),
    })
  }
  return results
}

function typeOfDraft11Entry(entry: unknown, metadata: Record<string, unknown>): string[] {
  if (typeof entry === 'object' && entry !== null && Array.isArray((entry as { types?: unknown }).types))
    return (entry as { types: string[] }).types
  const supported = (metadata.credentials_supported as { id?: string; types?: string[] }[] | undefined) ?? []
  const match = supported.find((s) => s.id === entry || s.types?.includes(String(entry)))
  return match?.types ?? ['VerifiableCredential', 'VerifiableAttestation', String(entry)]
}

async function pollDeferred(
  doFetch: typeof fetch,
  endpoint: string,
  acceptanceToken: string,
  intervalMs: number,
  attempts: number,
): Promise<{ credential: string; anchoring?: InclusionProof }> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const response = await doFetch(endpoint, { method: 'POST', headers: { authorization: `Bearer ${acceptanceToken}` } })
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
    if (response.ok && typeof body.credential === 'string')
      return { credential: body.credential, ...(body.anchoring ? { anchoring: body.anchoring as InclusionProof } : {}) }
    if (body.error !== 'issuance_pending')
      throw new IssuerRefused(String(body.error ?? response.status), 'deferred credential refused', response.status)
    const wait = typeof body.interval === 'number' ? Math.min(body.interval * 1000, intervalMs * 5) : intervalMs
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
  throw new IssuerRefused('issuance_pending', 'the deferred credential was not delivered in time', 400)
}

/** Polls the issuer's anchoring endpoint once: the inclusion proof when the batch is anchored. */
export async function fetchInclusionProof(
  anchoringUri: string,
  fetchImpl: typeof fetch = fetch,
): Promise<InclusionProof | undefined> {
  const response = await fetchImpl(anchoringUri)
  if (response.status === 202 || response.status === 404) {
    await response.body?.cancel()
    return undefined
  }
  const body = (await response.json().catch(() => undefined)) as (InclusionProof & { state?: string }) | undefined
  if (!response.ok || !body || body.state === 'pending') return undefined
  const { state: _state, ...proof } = body
  return proof
}
