import { createPublicKey, type KeyObject, verify } from 'node:crypto'

/** The curve each JWS ECDSA algorithm signs with. */
const curveOf = { ES256: 'P-256', ES256K: 'secp256k1' } as const

export type EcdsaJwsAlgorithm = keyof typeof curveOf

type PublicJwk = { crv?: unknown; x?: unknown; y?: unknown }

const publicKeys = new Map<string, KeyObject>()

/**
 * The KeyObject of a JWK that can carry an `alg` signature (its curve, 64-byte P1363 signature),
 * cached by its coordinates; undefined when it cannot.
 */
function verifyKey(alg: unknown, jwk: PublicJwk, signature: Uint8Array): KeyObject | undefined {
  const crv =
    typeof alg === 'string' && Object.hasOwn(curveOf, alg) ? curveOf[alg as EcdsaJwsAlgorithm] : undefined
  if (
    !crv ||
    jwk.crv !== crv ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string' ||
    signature.length !== 64
  )
    return undefined
  const cacheKey = `${crv}|${jwk.x}|${jwk.y}`
  let key = publicKeys.get(cacheKey)
  if (!key) {
    try {
      key = createPublicKey({ format: 'jwk', key: { kty: 'EC', crv, x: jwk.x, y: jwk.y } })
    } catch {
      return undefined
    }
    if (publicKeys.size > 10_000) publicKeys.clear()
    publicKeys.set(cacheKey, key)
  }
  return key
}

const bytes = (input: string | Uint8Array) => (typeof input === 'string' ? Buffer.from(input) : input)

/**
 * Verifies an ES256 or ES256K JWS signature (IEEE P1363 r‖s) with an EC public JWK, on the calling
 * thread. Never throws; false for an unknown `alg` and for anything that is not a valid signature
 * by this key.
 */
export function verifyEcdsa(
  alg: unknown,
  signingInput: string | Uint8Array,
  signature: Uint8Array,
  jwk: PublicJwk,
): boolean {
  const key = verifyKey(alg, jwk, signature)
  if (!key) return false
  try {
    return verify('sha256', bytes(signingInput), { key, dsaEncoding: 'ieee-p1363' }, signature)
  } catch {
    return false
  }
}

/**
 * {@link verifyEcdsa} on libuv's thread pool (node:crypto's one-shot verify with a callback):
 * hashing the input and the curve arithmetic run on other cores while the event loop goes on. Not
 * WebCrypto: for a presentation carrying a whole case (~80 KB signing input) its verify cost the
 * event loop 2–4 × as much, and it has no secp256k1. Never rejects.
 */
export function verifyEcdsaOffThread(
  alg: unknown,
  signingInput: string | Uint8Array,
  signature: Uint8Array,
  jwk: PublicJwk,
): Promise<boolean> {
  const key = verifyKey(alg, jwk, signature)
  if (!key) return Promise.resolve(false)
  return new Promise((resolve) => {
    try {
      verify('sha256', bytes(signingInput), { key, dsaEncoding: 'ieee-p1363' }, signature, (error, valid) =>
        resolve(!error && valid),
      )
    } catch {
      resolve(false)
    }
  })
}
