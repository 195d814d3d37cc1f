import { base58btc } from 'multiformats/bases/base58'

/** Multicodec varint of `jwk_jcs-pub` (0xeb51). */
const JWK_JCS_PUB = [0xd1, 0xd6, 0x03]

export interface HolderJwk {
  kty: 'EC'
  crv: 'P-256'
  x: string
  y: string
}

/**
 * Decodes a holder did:key in EBSI's natural-person profile (jwk_jcs-pub, P-256) to its public JWK.
 * @returns the JWK, or undefined when the DID is not such a did:key
 */
export function holderJwkOf(did: string): HolderJwk | undefined {
  if (typeof did !== 'string' || !did.startsWith('did:key:z')) return undefined
  let bytes: Uint8Array
  try {
    bytes = base58btc.decode(did.slice('did:key:'.length).split('#')[0]!)
  } catch {
    return undefined
  }
  if (!JWK_JCS_PUB.every((byte, i) => bytes[i] === byte)) return undefined
  try {
    const jwk = JSON.parse(new TextDecoder().decode(bytes.subarray(3))) as Record<string, unknown>
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string')
      return undefined
    if (Buffer.from(jwk.x, 'base64url').length !== 32 || Buffer.from(jwk.y, 'base64url').length !== 32)
      return undefined
    return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }
  } catch {
    return undefined
  }
}

/** Creates the EBSI natural-person did:key of a P-256 JWK (JCS of the required members). */
export function holderDidOf(jwk: { x: string; y: string }): string {
  const jcs = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`
  const body = new TextEncoder().encode(jcs)
  const bytes = new Uint8Array(JWK_JCS_PUB.length + body.length)
  bytes.set(JWK_JCS_PUB, 0)
  bytes.set(body, JWK_JCS_PUB.length)
  return `did:key:${base58btc.encode(bytes)}`
}
