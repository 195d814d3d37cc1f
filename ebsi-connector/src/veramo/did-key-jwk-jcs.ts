import type { DIDResolutionResult, DIDResolver, ResolverRegistry } from 'did-resolver'
import { base58btc } from 'multiformats/bases/base58'
import { canonicalJson, type EcPublicJwk } from '../core/index.ts'

/** Multicodec `jwk_jcs-pub` (0xeb51) as an unsigned varint. */
const JWK_JCS_PUB_PREFIX = Uint8Array.from([0xd1, 0xd6, 0x03])

/**
 * EBSI's natural-person did:key (jwk_jcs-pub): `did:key:z` + base58btc(varint(0xeb51) ‖ UTF-8 of the
 * JCS-canonical JWK with only its required members).
 * @example createDidKeyJwkJcs(p256Jwk) // 'did:key:z2dmzD81cgPx8Vki7JbuuMmFYrWPgYoytykUZ3eyqht1j9Kb…'
 */
export function createDidKeyJwkJcs(jwk: { kty: string; crv?: unknown; x?: unknown; y?: unknown }): string {
  const required = requiredMembers(jwk)
  const json = new TextEncoder().encode(canonicalJson(required))
  const bytes = new Uint8Array(JWK_JCS_PUB_PREFIX.length + json.length)
  bytes.set(JWK_JCS_PUB_PREFIX)
  bytes.set(json, JWK_JCS_PUB_PREFIX.length)
  return `did:key:${base58btc.encode(bytes)}`
}

/**
 * The public JWK inside a jwk_jcs-pub did:key.
 * @throws TypeError when the DID is not a did:key of this profile
 */
export function jwkFromDidKeyJwkJcs(did: string): EcPublicJwk {
  const match = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)$/.exec(did.split('#')[0] ?? '')
  if (!match) throw new TypeError('not a did:key with a base58btc multibase value')
  const bytes = base58btc.decode(match[1]!)
  if (!JWK_JCS_PUB_PREFIX.every((b, i) => bytes[i] === b))
    throw new TypeError('did:key is not jwk_jcs-pub (0xeb51)')
  const text = new TextDecoder().decode(bytes.subarray(JWK_JCS_PUB_PREFIX.length))
  const jwk = JSON.parse(text) as EcPublicJwk
  if (canonicalJson(requiredMembers(jwk)) !== text)
    throw new TypeError('did:key JWK is not JCS-canonical with required members only')
  return jwk
}

function requiredMembers(jwk: {
  kty: string
  crv?: unknown
  x?: unknown
  y?: unknown
}): Record<string, unknown> {
  if (jwk.kty === 'EC') {
    if (typeof jwk.crv !== 'string' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string')
      throw new TypeError('EC JWK needs crv, x, y')
    return { crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y }
  }
  if (jwk.kty === 'OKP') {
    if (typeof jwk.crv !== 'string' || typeof jwk.x !== 'string') throw new TypeError('OKP JWK needs crv, x')
    return { crv: jwk.crv, kty: 'OKP', x: jwk.x }
  }
  throw new TypeError(`unsupported JWK kty ${jwk.kty}`)
}

/** The DID document of a jwk_jcs-pub did:key (one JsonWebKey2020 method in every relationship). */
export function didKeyJwkJcsDocument(did: string): NonNullable<DIDResolutionResult['didDocument']> {
  const publicKeyJwk = jwkFromDidKeyJwkJcs(did)
  const vmId = `${did}#${did.slice('did:key:'.length)}`
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: [{ id: vmId, type: 'JsonWebKey2020', controller: did, publicKeyJwk }],
    authentication: [vmId],
    assertionMethod: [vmId],
    capabilityInvocation: [vmId],
    capabilityDelegation: [vmId],
  }
}

/** did-resolver registry entry for `did:key` in EBSI's jwk_jcs-pub profile. */
export function getDidKeyJwkJcsResolver(): ResolverRegistry {
  const resolve: DIDResolver = async (did) => {
    try {
      return {
        didDocument: didKeyJwkJcsDocument(did),
        didDocumentMetadata: {},
        didResolutionMetadata: { contentType: 'application/did+ld+json' },
      }
    } catch (error) {
      return {
        didDocument: null,
        didDocumentMetadata: {},
        didResolutionMetadata: { error: 'invalidDid', message: (error as Error).message },
      }
    }
  }
  return { key: resolve }
}
