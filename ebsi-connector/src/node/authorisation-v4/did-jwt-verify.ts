import { createPublicKey, verify } from 'node:crypto'
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose'
import { PresentationInvalid } from '../errors.ts'
import type { DidState } from '../did-registry-v5/state.ts'
import type { NodeContext } from '../state/context.ts'

const CURVE_OF_ALG: Record<string, string> = { ES256: 'P-256', ES256K: 'secp256k1' }

/**
 * Verifies a JWT signed by a did:ebsi registered in this node: `kid` must be a DID URL of `iss`
 * whose verification method is currently in one of `relationships`, on the curve `alg` names.
 * @throws PresentationInvalid naming what failed.
 */
export async function verifyDidSignedJwt(
  ctx: NodeContext,
  jwt: string,
  relationships: readonly string[],
  what: string,
): Promise<{ payload: JWTPayload; did: string }> {
  let header: ReturnType<typeof decodeProtectedHeader>
  let payload: JWTPayload
  try {
    header = decodeProtectedHeader(jwt)
    payload = decodeJwt(jwt)
  } catch (error) {
    throw new PresentationInvalid(`${what} is not a JWT`, { cause: error })
  }
  const alg = header.alg ?? ''
  if (!CURVE_OF_ALG[alg]) throw new PresentationInvalid(`${what} "alg" must be ES256 or ES256K`)
  if (typeof header.kid !== 'string' || !header.kid.includes('#'))
    throw new PresentationInvalid(`${what} "kid" must be a DID URL`)
  const [did, fragment] = header.kid.split('#') as [string, string]
  if (typeof payload.iss === 'string' && payload.iss !== did)
    throw new PresentationInvalid(`${what} "kid" is not a key of "iss"`)
  const state = await ctx.dids.current(did)
  if (!state) throw new PresentationInvalid(`${what} signer ${did} is not registered in the DID Registry`)
  const jwk = activeKey(state, fragment, relationships, ctx.now())
  if (!jwk)
    throw new PresentationInvalid(`${what} "kid" is not a current ${relationships.join('/')} key of ${did}`)
  if (jwk.crv !== CURVE_OF_ALG[alg])
    throw new PresentationInvalid(`${what} "alg" does not match the key's curve`)
  if (!verifyEcJws(jwt, jwk)) throw new PresentationInvalid(`${what} signature verification failed`)
  return { payload, did }
}

function activeKey(
  state: DidState,
  fragment: string,
  relationships: readonly string[],
  at: number,
): Record<string, unknown> | undefined {
  const inRelationship = state.rels.some(
    (rel) =>
      rel.vMethodId === fragment &&
      relationships.includes(rel.name) &&
      Number(rel.notBefore) <= at &&
      at < Number(rel.notAfter),
  )
  if (!inRelationship) return undefined
  return state.vms.find((vm) => vm.vMethodId === fragment)?.publicKeyJwk
}

/** How far the clocks of a JWT's signer and of this node may disagree, seconds. */
export const CLOCK_LEEWAY_SECONDS = 60

/** Checks nbf/exp of a JWT payload against `now` (with the clock leeway). @throws PresentationInvalid */
export function checkValidityWindow(payload: JWTPayload, now: number, what: string): void {
  if (typeof payload.nbf === 'number' && payload.nbf > now + CLOCK_LEEWAY_SECONDS)
    throw new PresentationInvalid(`${what} is not yet valid`)
  if (typeof payload.exp === 'number' && payload.exp < now - CLOCK_LEEWAY_SECONDS)
    throw new PresentationInvalid(`${what} has expired`)
}

/**
 * Verifies a compact JWS (ES256 or ES256K, raw r‖s signature) with an EC public JWK. Node's
 * crypto handles both curves (jose 6 does not support ES256K).
 */
export function verifyEcJws(jws: string, jwk: Record<string, unknown>): boolean {
  const parts = jws.split('.')
  if (parts.length !== 3) return false
  const [header, payload, signature] = parts as [string, string, string]
  try {
    const key = createPublicKey({
      key: { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y } as never,
      format: 'jwk',
    })
    const raw = Buffer.from(signature, 'base64url')
    if (raw.length !== 64) return false
    return verify('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }, raw)
  } catch {
    return false
  }
}
