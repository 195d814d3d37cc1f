import { webcrypto } from 'node:crypto'

const importedKeys = new Map<string, Promise<webcrypto.CryptoKey>>()

function p256VerifyKey(x: string, y: string): Promise<webcrypto.CryptoKey> {
  const cacheKey = `${x}|${y}`
  let key = importedKeys.get(cacheKey)
  if (!key) {
    key = webcrypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x, y },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    )
    // a failed import is not remembered: the next call reports it again
    key.catch(() => importedKeys.delete(cacheKey))
    if (importedKeys.size > 10_000) importedKeys.clear()
    importedKeys.set(cacheKey, key)
  }
  return key
}

/**
 * Verifies an ES256 signature (IEEE P1363 r‖s, as in a JWS) with a P-256 public JWK through
 * WebCrypto, which runs the curve arithmetic on libuv's thread pool: the services' event loops keep
 * parsing and answering requests while other cores verify. Never rejects; false for anything that
 * is not a valid P-256 signature by this key.
 */
export async function verifyEs256OffThread(
  signingInput: string | Uint8Array,
  signature: Uint8Array,
  jwk: { crv?: unknown; x?: unknown; y?: unknown },
): Promise<boolean> {
  if (
    jwk.crv !== 'P-256' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string' ||
    signature.length !== 64
  )
    return false
  try {
    const data = typeof signingInput === 'string' ? Buffer.from(signingInput) : signingInput
    return await webcrypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      await p256VerifyKey(jwk.x, jwk.y),
      signature,
      data,
    )
  } catch {
    return false
  }
}
