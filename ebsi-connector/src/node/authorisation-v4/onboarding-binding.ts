import type { JWTPayload } from 'jose'
import {
  ethereumAddressFromPublicKey,
  jwkThumbprint,
  normalizeAddress,
  onboardingKeyOf,
  secp256k1PublicKeyToJwk,
} from '../../core/index.ts'
import { NotAuthorised, PresentationInvalid } from '../errors.ts'
import { verifyEcJws } from './did-jwt-verify.ts'

/**
 * didr_invite, bound to a key. A deliberate deviation from EBSI, which does not check the VP
 * signature for this scope: an authorisation to onboard travels as a file, and whoever held it could
 * otherwise register the DID with a key of their own. The authorisation names the controller key
 * (`cnf.jwk`, see core's onboarding-binding); the VP must be signed by it (and expire soon, as
 * every token request's VP: presentation-lifetime.ts); the access token records the key's thumbprint
 * (`cnf.jkt`); insertDidDocument under that token inserts that key, signed by it, and nothing else.
 */

/**
 * Verifies a didr_invite VP against the controller key its authorisation names.
 * @returns that key's RFC 7638 thumbprint, for the access token's `cnf.jkt`
 * @throws PresentationInvalid
 */
export function verifyInvitePresentation(args: {
  vpToken: string
  header: { alg?: string; kid?: string }
  payload: JWTPayload
  holder: string
  authorisation: JWTPayload
}): string {
  const key = onboardingKeyOf(args.authorisation)
  if (!key)
    throw new PresentationInvalid(
      'the VerifiableAuthorisationToOnboard does not name the controller key it authorises ("cnf.jwk")',
    )
  const thumbprint = jwkThumbprint(key)
  if (args.header.alg !== 'ES256K' || args.header.kid !== `${args.holder}#${thumbprint}`)
    throw new PresentationInvalid(
      `the didr_invite vp_token must be signed ES256K by the controller key the authorisation names (kid ${args.holder}#${thumbprint})`,
    )
  if (!verifyEcJws(args.vpToken, key))
    throw new PresentationInvalid('vp_token signature verification failed against the authorised controller key')
  return thumbprint
}

/**
 * insertDidDocument under a didr_invite token: the DID is the token's subject, the inserted key is
 * the one the token is bound to, and the transaction is signed by that key (`from` is its address).
 * @throws NotAuthorised
 */
export function checkOnboardingInsert(
  args: Record<string, unknown>,
  token: { sub: string; jkt?: string },
  from: string,
): void {
  if (args.did !== token.sub) throw new NotAuthorised('the inserted DID must be the access token subject')
  if (!token.jkt) throw new NotAuthorised('the didr_invite access token is not bound to a controller key')
  let thumbprint: string | undefined
  let address: string | undefined
  try {
    const jwk = secp256k1PublicKeyToJwk(String(args.publicKey))
    thumbprint = jwkThumbprint(jwk)
    address = ethereumAddressFromPublicKey(jwk)
  } catch {
    // not a key at all: refused below like any other key
  }
  if (thumbprint !== token.jkt || args.vMethodId !== token.jkt)
    throw new NotAuthorised(
      'under didr_invite only the controller key the authorisation to onboard names can be inserted',
    )
  const signer = normalizeAddress(from)
  if (!signer || signer !== normalizeAddress(address))
    throw new NotAuthorised('the insertDidDocument transaction must be signed by the inserted controller key')
}
