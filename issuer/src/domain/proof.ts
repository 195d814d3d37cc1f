import {
  createHmac,
  createPublicKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
  verify,
} from 'node:crypto'
import { OAuthError } from '../errors.ts'
import { holderJwkOf } from './did-key.ts'

/**
 * c_nonce values are self-authenticating (HMAC under the deployment secret, with their expiry), so the
 * nonce endpoint keeps no state; single use is enforced when a proof is accepted (UsedNonce row in
 * the signing transaction).
 */
export function createNonce(
  secret: Uint8Array,
  ttlSeconds: number,
  now = Date.now(),
): { nonce: string; expiresAt: Date } {
  const expiresAt = Math.floor(now / 1000) + ttlSeconds
  const body = `${expiresAt}.${randomBytes(16).toString('base64url')}`
  const mac = createHmac('sha256', secret).update(`c_nonce:${body}`).digest('base64url').slice(0, 22)
  return { nonce: `${body}.${mac}`, expiresAt: new Date(expiresAt * 1000) }
}

/** @returns the expiry of a nonce this deployment issued and that is still fresh, else undefined */
export function checkNonce(secret: Uint8Array, nonce: string, now = Date.now()): Date | undefined {
  const parts = typeof nonce === 'string' ? nonce.split('.') : []
  if (parts.length !== 3) return undefined
  const [exp, random, mac] = parts as [string, string, string]
  const expected = createHmac('sha256', secret)
    .update(`c_nonce:${exp}.${random}`)
    .digest('base64url')
    .slice(0, 22)
  if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected)))
    return undefined
  const expiresAt = Number(exp) * 1000
  if (!Number.isFinite(expiresAt) || expiresAt < now) return undefined
  return new Date(expiresAt)
}

/** Holder did:key → its JWK and KeyObject, kept per process (decoding and importing cost more than a check). */
const holderKeys = new Map<
  string,
  { jwk: NonNullable<ReturnType<typeof holderJwkOf>>; key: KeyObject } | null
>()
function holderKeyOf(did: string) {
  let entry = holderKeys.get(did)
  if (entry === undefined) {
    const jwk = holderJwkOf(did)
    entry = jwk ? { jwk, key: createPublicKey({ key: { ...jwk }, format: 'jwk' }) } : null
    if (holderKeys.size >= 100_000) holderKeys.clear()
    holderKeys.set(did, entry)
  }
  return entry
}

function decodeSegment(segment: string | undefined, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as unknown
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error()
    return value as Record<string, unknown>
  } catch {
    throw new OAuthError('invalid_proof', `proof JWT ${what} is not a JSON object`)
  }
}

export interface ProofExpectations {
  /** The credential issuer identifier the proof must name in `aud`. */
  audience: string
  /** The holder DID of the case: the proof key must be its key. */
  holderDid: string
  secret: Uint8Array
  now?: number
  /** Accepted clock skew for `iat`, seconds. */
  maxAgeSeconds?: number
}

/**
 * Checks an OpenID4VCI proof JWT: typ `openid4vci-proof+jwt`, alg ES256, key = the case's holder
 * did:key (by `kid` DID URL or an embedded `jwk` equal to it; any other key is refused), signature,
 * `aud` = the credential issuer, `iat` recent, and `nonce` a fresh c_nonce of this deployment.
 * @returns the nonce and its expiry, for the single-use record
 * @throws OAuthError `invalid_proof` (or `invalid_nonce` for a stale/foreign nonce)
 */
export function verifyProofJwt(
  jwt: string,
  expect: ProofExpectations,
): { nonce: string; nonceExpiresAt: Date } {
  if (typeof jwt !== 'string') throw new OAuthError('invalid_proof', 'proof JWT missing')
  const segments = jwt.split('.')
  if (segments.length !== 3) throw new OAuthError('invalid_proof', 'proof is not a compact JWS')
  const header = decodeSegment(segments[0], 'header')
  const payload = decodeSegment(segments[1], 'payload')
  if (header.typ !== 'openid4vci-proof+jwt')
    throw new OAuthError('invalid_proof', 'proof JWT "typ" must be openid4vci-proof+jwt')
  if (header.alg !== 'ES256') throw new OAuthError('invalid_proof', 'proof JWT "alg" must be ES256')
  const holder = holderKeyOf(expect.holderDid)
  const holderJwk = holder?.jwk
  if (!holder || !holderJwk) throw new OAuthError('invalid_proof', 'the case holder DID has no P-256 key')
  if (typeof header.kid === 'string') {
    const did = header.kid.split('#')[0]
    if (did !== expect.holderDid)
      throw new OAuthError('invalid_proof', 'proof key is not the holder DID of the case')
  } else if (typeof header.jwk === 'object' && header.jwk !== null) {
    const jwk = header.jwk as Record<string, unknown>
    if (jwk.x !== holderJwk.x || jwk.y !== holderJwk.y || jwk.crv !== 'P-256')
      throw new OAuthError('invalid_proof', 'proof key is not the holder DID of the case')
  } else {
    throw new OAuthError('invalid_proof', 'proof JWT needs "kid" (did:key URL) or "jwk"')
  }
  const key = holder.key
  const valid = verify(
    'sha256',
    Buffer.from(`${segments[0]}.${segments[1]}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(segments[2]!, 'base64url'),
  )
  if (!valid) throw new OAuthError('invalid_proof', 'proof signature does not verify with the holder key')
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  if (!audiences.includes(expect.audience))
    throw new OAuthError('invalid_proof', `proof "aud" must be ${expect.audience}`)
  const now = expect.now ?? Date.now()
  const maxAge = expect.maxAgeSeconds ?? 300
  if (typeof payload.iat !== 'number' || Math.abs(now / 1000 - payload.iat) > maxAge)
    throw new OAuthError('invalid_proof', 'proof "iat" missing or not recent')
  if (typeof payload.nonce !== 'string') throw new OAuthError('invalid_proof', 'proof "nonce" missing')
  const nonceExpiresAt = checkNonce(expect.secret, payload.nonce, now)
  if (!nonceExpiresAt) throw new OAuthError('invalid_nonce', 'c_nonce is unknown or expired; get a fresh one')
  return { nonce: payload.nonce, nonceExpiresAt }
}
