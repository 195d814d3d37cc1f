import { createHash } from 'node:crypto'
import { verifyEcdsa, verifyEcdsaOffThread } from '@flora/ebsi-connector'
import { TokenMalformed } from '../errors.ts'
import { BoundedCache } from '@flora/service-kit/bounded-cache'

/** A compact JWS split into its parts, header and payload parsed. */
export interface DecodedJws {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  signingInput: string
  signature: Buffer
  token: string
}

const MAX_TOKEN_LENGTH = 200_000

/**
 * Splits and parses a compact JWS.
 * @throws {TokenMalformed} when it is not three base64url parts with JSON objects as header and payload
 */
export function decodeJws(token: unknown): DecodedJws {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)
    throw new TokenMalformed('not a compact JWS')
  const parts = token.split('.')
  if (parts.length !== 3) throw new TokenMalformed('not a compact JWS')
  const [h, p, s] = parts as [string, string, string]
  if (h.length === 0 || p.length === 0) throw new TokenMalformed('not a compact JWS')
  const header = parseObject(h, 'header')
  const payload = parseObject(p, 'payload')
  const signature = base64urlBytes(s)
  if (!signature) throw new TokenMalformed('not a compact JWS')
  // a slice of the token, not a concatenation: hashing it then needs no flat copy of a whole case
  return { header, payload, signingInput: token.slice(0, h.length + 1 + p.length), signature, token }
}

/**
 * The bytes of an unpadded base64url string, or undefined when it is not one. Node's decoder skips
 * characters outside the alphabet (and accepts base64's + / =), so a string with any of them
 * decodes to fewer bytes than its length promises, or holds one of + / =. Checked this way rather
 * than with a regular expression: for a presentation carrying a whole case (~80 KB) the expression
 * cost the event loop several times the decoding it guarded.
 */
function base64urlBytes(text: string): Buffer | undefined {
  if (text.length % 4 === 1) return undefined
  const bytes = Buffer.from(text, 'base64url')
  if (bytes.length !== Math.floor((text.length * 3) / 4)) return undefined
  if (text.includes('+') || text.includes('/') || text.includes('=')) return undefined
  return bytes
}

function parseObject(part: string, name: string): Record<string, unknown> {
  const bytes = base64urlBytes(part)
  if (!bytes) throw new TokenMalformed('not a compact JWS')
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new TokenMalformed(`JWS ${name} is not JSON`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TokenMalformed(`JWS ${name} is not a JSON object`)
  return value as Record<string, unknown>
}

/** Verifies an ES256/ES256K signature over the signing input with a public JWK. Never throws. */
export function verifyJwsSignature(jws: DecodedJws, jwk: Record<string, unknown>): boolean {
  return verifyEcdsa(jws.header.alg, jws.signingInput, jws.signature, jwk)
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
  return verifyEcdsaOffThread(jws.header.alg, jws.signingInput, jws.signature, jwk)
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
