import type { HolderIdentity } from './identity.ts'
import type { InclusionProof } from './repository.ts'

/** Options of {@link createPresentationJwt}. */
export interface CreatePresentationArgs {
  holder: HolderIdentity
  credentials: readonly string[]
  /** The verifier's client_id (its DID or URL): the VP's `aud`. */
  audience: string
  nonce: string
  /** Inclusion proofs of the credentials, carried in `vp.anchoringProofs`. */
  anchoringProofs?: readonly InclusionProof[]
  /** Lifetime of the VP in seconds (default 300). */
  lifetimeSeconds?: number
  now?: Date
  id?: string
}

/**
 * Builds a VP JWT in EBSI's profile (what @cef-ebsi/verifiable-presentation verifies): header
 * {alg ES256, typ JWT, kid}, iss = sub = vp.holder, aud, nonce, iat, nbf, exp, jti = vp.id.
 */
export async function createPresentationJwt(args: CreatePresentationArgs): Promise<string> {
  const now = Math.floor((args.now ?? new Date()).getTime() / 1000)
  const id = args.id ?? `urn:uuid:${globalThis.crypto.randomUUID()}`
  const vp: Record<string, unknown> = {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    id,
    type: ['VerifiablePresentation'],
    holder: args.holder.did,
    verifiableCredential: [...args.credentials],
  }
  if (args.anchoringProofs?.length) vp.anchoringProofs = args.anchoringProofs.map((p) => structuredClone(p))
  return args.holder.signer.signJwt(
    {
      jti: id,
      iss: args.holder.did,
      sub: args.holder.did,
      aud: args.audience,
      iat: now,
      nbf: now - 5,
      exp: now + (args.lifetimeSeconds ?? 300),
      nonce: args.nonce,
      vp,
    },
    { typ: 'JWT', kid: args.holder.kid },
  )
}
