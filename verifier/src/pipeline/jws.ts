import { createHash, createPublicKey, type KeyObject, verify as nodeVerify } from 'node:crypto'
import { verifyEcdsaOffThread } from '@flora/ebsi-connector'
import { TokenMalformed } from '../errors.ts'
import { BoundedCache } from './bounded-cache.ts'

/** A compact JWS split into its parts, header and payload parsed. */
export interface DecodedJws {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  signingInput: string
  signature: Buffer
  token: string
}

const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/**
 * Splits and parses a compact JWS.
 * @throws {TokenMalformed} when it is not three base64url parts with JSON objects as header and payload
 */
export function decodeJws(token: unknown): DecodedJws {
  if (typeof token !== 'string' || token.length > 200_000 || !COMPACT.test(token))
    throw new TokenMalformed('not a compact JWS')
  const [h, p, s] = token.split('.') as [string, string, string]
  const header = parseObject(h, 'header')
  const payload = parseObject(p, 'payload')
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url'), token }
}

function parseObject(part: string, name: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
  } catch {
    throw new TokenMalformed(`JWS ${name} is not JSON`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TokenMalformed(`JWS ${name} is not a JSON object`)
  return value as Record<string, unknown>
}

const keyCache = new BoundedCache<string, KeyObject>(10_000)

/** Node KeyObject of a public EC JWK (cached by its coordinates). */
export function publicKeyOf(jwk: Record<string, unknown>): KeyObject {
  const cacheKey = `${String(jwk.crv)}|${String(jwk.x)}|${String(jwk.y)}`
  let key = keyCache.get(cacheKey)
  if (!key) {
    key = createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y } as never })
    keyCache.set(cacheKey, key)
  }
  return key
}

/** The curve each JWS algorithm needs. */
export const curveOfAlg: Record<string, string> = { ES256: 'P-256', ES256K: 'secp256k1' }

/** Verifies an ES256/ES256K signature over the signing input with a public JWK. Never throws. */
export function verifyJwsSignature(jws: DecodedJws, jwk: Record<string, unknown>): boolean {
  const alg = jws.header.alg
  if (typeof alg !== 'string' || curveOfAlg[alg] === undefined || jwk.crv !== curveOfAlg[alg]) return false
  if (jws.signature.length !== 64) return false
  try {
    return nodeVerify(
      'sha256',
      Buffer.from(jws.signingInput),
      { key: publicKeyOf(jwk), dsaEncoding: 'ieee-p1363' },
      jws.signature,
    )
  } catch {
    return false
  }
}

/**
 * Signatures already verified: SHA-256 of the exact JWS under the exact public key. Whether given
 * bytes carry a valid signature under a given key never changes, and a Dublin unit re-checks the
 * same case's credentials each time a new milestone arrives; everything that can change (the key
 * the DID document names as of the anchoring time, status, accreditation, validity window, anchor)
 * is still checked on every verification. Only successes are kept, least recently used evicted.
 */
const verifiedSignatures = new BoundedCache<string, true>(100_000)

function signatureCacheKey(jws: DecodedJws, jwk: Record<string, unknown>, tokenSha256?: Buffer): string {
  const digest = (tokenSha256 ?? createHash('sha256').update(jws.token).digest()).toString('base64url')
  return `${String(jwk.crv)}|${String(jwk.x)}|${String(jwk.y)}|${digest}`
}

/**
 * {@link verifyJwsSignature} on the thread pool (verifyEcdsaOffThread), for the per-request
 * signatures: a presentation's, or a credential's seen for the first time. Never rejects.
 */
export function verifyJwsSignatureOffThread(jws: DecodedJws, jwk: Record<string, unknown>): Promise<boolean> {
  const alg = jws.header.alg
  if (alg !== 'ES256' && alg !== 'ES256K') return Promise.resolve(false)
  return verifyEcdsaOffThread(alg, jws.signingInput, jws.signature, jwk)
}

/**
 * {@link verifyJwsSignatureOffThread} for credentials: a signature verified before under the same
 * key is not verified again (see verifiedSignatures). Not for presentations, which carry a fresh
 * nonce each time: hashing one (a whole case, ~80 KB) for the memo costs more than it could save.
 * `tokenSha256`: SHA-256 of `jws.token` when the caller has it already. Never rejects.
 */
export async function verifyRememberedJwsSignature(
  jws: DecodedJws,
  jwk: Record<string, unknown>,
  tokenSha256?: Buffer,
): Promise<boolean> {
  const cacheKey = signatureCacheKey(jws, jwk, tokenSha256)
  if (verifiedSignatures.get(cacheKey)) return true
  const valid = await verifyJwsSignatureOffThread(jws, jwk)
  if (valid) verifiedSignatures.set(cacheKey, true)
  return valid
}
