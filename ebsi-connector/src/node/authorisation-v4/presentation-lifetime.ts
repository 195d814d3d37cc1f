import type { JWTPayload } from 'jose'
import { PresentationInvalid } from '../errors.ts'
import { CLOCK_LEEWAY_SECONDS } from './did-jwt-verify.ts'
import { NONCE_TTL_SECONDS } from './nonce-store.ts'

/**
 * Longest validity of a token-request VP, whatever its scope. A VP's single use rests on its nonce,
 * and a used nonce is remembered for NONCE_TTL_SECONDS only: a VP still valid after that could be
 * replayed by whoever captured it. With the clock leeway on both ends (an `exp` up to the leeway
 * ahead of the bound is accepted, and a VP is accepted up to the leeway past its `exp`), a VP accepted
 * now is dead before its nonce is forgotten.
 */
export const PRESENTATION_MAX_LIFETIME_SECONDS = 300

if (PRESENTATION_MAX_LIFETIME_SECONDS + 2 * CLOCK_LEEWAY_SECONDS >= NONCE_TTL_SECONDS)
  throw new Error('a VP must expire before the node forgets its nonce')

/**
 * The VP must carry `exp`, at most PRESENTATION_MAX_LIFETIME_SECONDS (plus the clock leeway) ahead
 * of `now`. A deliberate deviation from EBSI, where `exp` is optional.
 * @throws PresentationInvalid
 */
export function checkPresentationLifetime(payload: JWTPayload, now: number): void {
  if (typeof payload.exp !== 'number') throw new PresentationInvalid('the vp_token must carry "exp"')
  if (payload.exp > now + PRESENTATION_MAX_LIFETIME_SECONDS + CLOCK_LEEWAY_SECONDS)
    throw new PresentationInvalid(
      `the vp_token's lifetime exceeds ${PRESENTATION_MAX_LIFETIME_SECONDS} s ("exp" too far ahead)`,
    )
}
