import { jwkFromDidKeyJwkJcs } from '@flora/ebsi-connector'
import { BoundedCache } from '@flora/service-kit/bounded-cache'
import { type DecodedJws, decodeJws, verifyJwsSignatureOffThread } from './jws.ts'
import { type StepResult, stepResult } from './types.ts'

/** The verdict of the nonce store on a presented nonce (consumes it when "ok"). */
export type NonceVerdict = 'ok' | 'unknown' | 'replayed' | 'expired'

/** What the holder-binding step expects of a presentation. */
export interface HolderBindingExpectation {
  audience: string
  /** The nonce of the request, when the presentation answers one; else any nonce goes to `checkNonce`. */
  nonce?: string
  checkNonce: (nonce: string) => Promise<NonceVerdict>
  now: Date
}

/** A presentation after the header checks. */
export interface ParsedPresentation {
  holder: string
  credentials: unknown[]
  anchoringProofs: unknown[]
  payload: Record<string, unknown>
}

/** Holder keys by did:key (decoding base58 is most of this step's own time for a re-presented case). */
const holderKeys = new BoundedCache<string, Readonly<Record<string, unknown>> | null>(10_000)

function holderKeyOf(did: string): Readonly<Record<string, unknown>> | null {
  let jwk = holderKeys.get(did)
  if (jwk === undefined) {
    try {
      jwk = Object.freeze(jwkFromDidKeyJwkJcs(did) as unknown as Record<string, unknown>)
    } catch {
      jwk = null
    }
    holderKeys.set(did, jwk)
  }
  return jwk
}

/**
 * Step 8, holder binding: the VP JWT is signed by the holder's did:key (EBSI jwk_jcs-pub), iss, sub
 * and vp.holder agree, aud is this verifier, the nonce is the one handed out and unused, the VP is
 * within its validity, and every credential's subject is the holder.
 */
export async function checkHolderBinding(
  token: string,
  subjects: (string | undefined)[],
  expected: HolderBindingExpectation,
  decoded?: DecodedJws,
): Promise<StepResult> {
  const jws = decoded ?? decodeJws(token)
  const { header, payload } = jws
  const vp = payload.vp as Record<string, unknown>
  const holder = vp.holder
  if (header.alg !== 'ES256' && header.alg !== 'ES256K')
    return stepResult('holder-binding', 'failed', 'alg-unsupported', { alg: String(header.alg) })
  if (typeof holder !== 'string' || !holder.startsWith('did:key:'))
    return stepResult('holder-binding', 'failed', 'holder-not-did-key', {})
  if (payload.iss !== holder || (payload.sub !== undefined && payload.sub !== holder))
    return stepResult('holder-binding', 'failed', 'holder-claims-inconsistent', {})
  const kid = typeof header.kid === 'string' ? header.kid : ''
  if (kid.split('#')[0] !== holder) return stepResult('holder-binding', 'failed', 'kid-invalid', {})
  const jwk = holderKeyOf(holder)
  if (!jwk) return stepResult('holder-binding', 'failed', 'holder-not-did-key', {})
  if (!(await verifyJwsSignatureOffThread(jws, jwk))) return stepResult('holder-binding', 'failed', 'vp-signature-invalid', {})
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  if (!audiences.includes(expected.audience))
    return stepResult('holder-binding', 'failed', 'audience-mismatch', { expected: expected.audience })
  const now = expected.now.getTime() / 1000
  if (typeof payload.exp === 'number' && now > payload.exp + 60)
    return stepResult('holder-binding', 'failed', 'vp-expired', {})
  if (typeof payload.nbf === 'number' && now + 60 < payload.nbf)
    return stepResult('holder-binding', 'failed', 'vp-not-yet-valid', {})
  const mismatched = subjects.map((s, i) => (s === holder ? -1 : i)).filter((i) => i >= 0)
  if (mismatched.length) return stepResult('holder-binding', 'failed', 'holder-mismatch', { credentials: mismatched })
  const nonce = payload.nonce
  if (typeof nonce !== 'string' || nonce.length === 0) return stepResult('holder-binding', 'failed', 'nonce-missing', {})
  if (expected.nonce !== undefined && nonce !== expected.nonce)
    return stepResult('holder-binding', 'failed', 'nonce-mismatch', {})
  const verdict = await expected.checkNonce(nonce)
  if (verdict !== 'ok') return stepResult('holder-binding', 'failed', `nonce-${verdict}`, {})
  return stepResult('holder-binding', 'passed', 'ok', { holder, audience: expected.audience })
}
