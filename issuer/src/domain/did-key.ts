import { createDidKeyJwkJcs, jwkFromDidKeyJwkJcs } from '@flora/ebsi-connector'

/** The public key of a case's holder did:key: EBSI's natural-person profile is P-256 only. */
export interface HolderJwk {
  kty: 'EC'
  crv: 'P-256'
  x: string
  y: string
}

/**
 * Decodes a holder did:key (EBSI jwk_jcs-pub) to its P-256 public JWK.
 * @returns the JWK, or undefined when the DID is not such a did:key with a P-256 key
 */
export function holderJwkOf(did: string): HolderJwk | undefined {
  if (typeof did !== 'string') return undefined
  let jwk: Record<string, unknown>
  try {
    jwk = jwkFromDidKeyJwkJcs(did) as unknown as Record<string, unknown>
  } catch {
    return undefined
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return undefined
  if (Buffer.from(jwk.x, 'base64url').length !== 32 || Buffer.from(jwk.y, 'base64url').length !== 32) return undefined
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }
}

/** The EBSI natural-person did:key of a P-256 public key. */
export const holderDidOf = (jwk: { x: string; y: string }): string =>
  createDidKeyJwkJcs({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y })
