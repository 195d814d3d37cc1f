/** ES256 JWT verification with Web Crypto (Node 20 and browsers alike). */

export interface DidDocumentLike {
  id?: string
  verificationMethod?: { id: string; publicKeyJwk?: Record<string, unknown> }[]
  authentication?: (string | { id: string })[]
  assertionMethod?: (string | { id: string })[]
}

/** Resolves a DID to its document (e.g. the did:ebsi resolver against the DID Registry). */
export type DidDocumentResolver = (did: string) => Promise<DidDocumentLike | undefined>

const b64u = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  )

export function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p, s] = jwt.split('.')
  if (!h || !p || s === undefined) throw new TypeError('not a compact JWS')
  const parse = (part: string) => JSON.parse(new TextDecoder().decode(b64u(part))) as Record<string, unknown>
  return { header: parse(h), payload: parse(p) }
}

/** Verifies an ES256 compact JWS with a P-256 public JWK. */
export async function verifyEs256(jwt: string, jwk: Record<string, unknown>): Promise<boolean> {
  const [h, p, s] = jwt.split('.')
  if (!h || !p || !s || jwk.crv !== 'P-256') return false
  try {
    const key = await globalThis.crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    )
    return await globalThis.crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      b64u(s) as Uint8Array<ArrayBuffer>,
      new TextEncoder().encode(`${h}.${p}`),
    )
  } catch {
    return false
  }
}

/** The JWK of `kid` when listed under one of the relationships. */
export function keyOf(
  document: DidDocumentLike,
  kid: string,
  relationships: ('authentication' | 'assertionMethod')[],
): Record<string, unknown> | undefined {
  const fragment = kid.slice(kid.indexOf('#'))
  const matches = (id: string) => id === kid || id === fragment
  const listed = relationships.some((r) => (document[r] ?? []).some((e) => matches(typeof e === 'string' ? e : e.id)))
  if (!listed) return undefined
  return document.verificationMethod?.find((vm) => matches(vm.id))?.publicKeyJwk
}
