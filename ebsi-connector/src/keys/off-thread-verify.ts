import { createPublicKey, type KeyObject, verify } from 'node:crypto'

/** The curve each JWS ECDSA algorithm signs with. */
const curveOf = { ES256: 'P-256', ES256K: 'secp256k1' } as const

export type EcdsaJwsAlgorithm = keyof typeof curveOf

const publicKeys = new Map<string, KeyObject>()

function publicKeyOf(crv: string, x: string, y: string): KeyObject {
  const cacheKey = `${crv}|${x}|${y}`
  let key = publicKeys.get(cacheKey)
  if (!key) {
    key = createPublicKey({ format: 'jwk', key: { kty: 'EC', crv, x, y } })
    if (publicKeys.size > 10_000) publicKeys.clear()
    publicKeys.set(cacheKey, key)
  }
  return key
}

/**
 * Verifies an ES256 or ES256K JWS signature (IEEE P1363 r‖s) with an EC public JWK on libuv's
 * thread pool (node:crypto's one-shot verify with a callback): hashing the input and the curve
 * arithmetic run on other cores while the event loop goes on. Not WebCrypto: for a presentation
 * carrying a whole case (~80 KB signing input) its verify cost the event loop 2–4 × as much, and
 * it has no secp256k1. Never rejects; false for anything that is not a valid signature by this key.
 */
export function verifyEcdsaOffThread(
  alg: EcdsaJwsAlgorithm,
  signingInput: string | Uint8Array,
  signature: Uint8Array,
  jwk: { crv?: unknown; x?: unknown; y?: unknown },
): Promise<boolean> {
  const crv = curveOf[alg]
  if (jwk.crv !== crv || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || signature.length !== 64)
    return Promise.resolve(false)
  let key: KeyObject
  try {
    key = publicKeyOf(crv, jwk.x, jwk.y)
  } catch {
    return Promise.resolve(false)
  }
  const data = typeof signingInput === 'string' ? Buffer.from(signingInput) : signingInput
  return new Promise((resolve) => {
    try {
      verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature, (error, valid) =>
        resolve(!error && valid),
      )
    } catch {
      resolve(false)
    }
  })
}
