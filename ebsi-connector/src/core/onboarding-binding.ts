import { PublicKeyInvalid } from './errors.ts'
import { type EcPublicJwk, ecJwkToPublicKeyBytes } from './jwk.ts'

/**
 * Which controller key a VerifiableAuthorisationToOnboard authorises. A deliberate deviation from
 * EBSI (see the ledger node's README): EBSI's authorisation names only the DID, so whoever holds the
 * file could register that DID with a key of their own. Here the issuing Root TAO/TAO also names the
 * subject's secp256k1 controller key, in the credential JWT's RFC 7800 confirmation claim
 * `cnf: { jwk }`. The claim sits beside `vc`, not inside it, so EBSI's credential schemas and its
 * verification library see the credential unchanged.
 */

/** The JWT claims that bind an authorisation to onboard to `controllerKey` (public members only). */
export function onboardingKeyClaims(controllerKey: { kty: string; [member: string]: unknown }): {
  cnf: { jwk: EcPublicJwk }
} {
  const jwk = publicSecp256k1Jwk(controllerKey)
  if (!jwk) throw new PublicKeyInvalid('the controller key to onboard must be a secp256k1 public JWK')
  return { cnf: { jwk } }
}

/**
 * The controller key a VerifiableAuthorisationToOnboard's JWT payload names (`cnf.jwk`), or
 * undefined when it names none or something that is not a secp256k1 public key.
 */
export function onboardingKeyOf(payload: unknown): EcPublicJwk | undefined {
  const cnf = (payload as { cnf?: unknown } | null)?.cnf
  if (!cnf || typeof cnf !== 'object') return undefined
  return publicSecp256k1Jwk((cnf as { jwk?: unknown }).jwk)
}

function publicSecp256k1Jwk(value: unknown): EcPublicJwk | undefined {
  const jwk = value as Partial<EcPublicJwk> & { d?: unknown }
  if (!jwk || typeof jwk !== 'object' || jwk.kty !== 'EC' || jwk.crv !== 'secp256k1') return undefined
  if (jwk.d !== undefined) return undefined
  try {
    ecJwkToPublicKeyBytes(jwk)
  } catch {
    return undefined
  }
  return { kty: 'EC', crv: 'secp256k1', x: jwk.x as string, y: jwk.y as string }
}
