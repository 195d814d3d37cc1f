import {
  answerPresentationRequest,
  type DidDocumentLike,
  type HolderIdentity,
  type InclusionProof,
  fetchInclusionProof,
  type PresentationResponseResult,
  receivePresentationRequest,
  redeemCredentialOffer,
  type StoredCredential,
  type VerifiedPresentationRequest,
} from '@flora/ebsi-connector/holder'
import type { WalletProfile } from '../generate.ts'

/**
 * A scripted case wallet over the reusable holder module: redeems offers over OpenID4VCI, keeps the
 * credentials and their inclusion proofs, answers OpenID4VP requests with what it chooses to present.
 */
export class CaseWallet {
  readonly credentials: StoredCredential[] = []

  constructor(
    readonly holder: HolderIdentity,
    readonly profile: WalletProfile,
    private readonly resolveDid: (did: string) => Promise<DidDocumentLike | undefined>,
  ) {}

  /** Redeems the offer of the wallet's profile with the transaction code; returns the stored credential. */
  async redeem(offers: Record<WalletProfile, { uri: string }>, txCode: string): Promise<StoredCredential> {
    const [redeemed] = await redeemCredentialOffer({ offer: offers[this.profile].uri, txCode, holder: this.holder })
    if (!redeemed) throw new Error('the issuer delivered no credential')
    const payload = JSON.parse(Buffer.from(redeemed.jwt.split('.')[1]!, 'base64url').toString()) as {
      jti?: string
      iss?: string
      vc?: { id?: string; type?: string[] }
    }
    const credential: StoredCredential = {
      id: String(payload.jti ?? payload.vc?.id),
      holderDid: this.holder.did,
      jwt: redeemed.jwt,
      types: payload.vc?.type ?? [],
      issuer: String(payload.iss ?? ''),
      receivedAt: new Date(),
      ...(redeemed.anchoringUri ? { anchoringUri: redeemed.anchoringUri } : {}),
      ...(redeemed.inclusionProof ? { inclusionProof: redeemed.inclusionProof } : {}),
    }
    this.credentials.push(credential)
    return credential
  }

  /** Polls the inclusion proofs still missing once; returns how many are still missing. */
  async refreshProofs(): Promise<number> {
    let missing = 0
    for (const credential of this.credentials) {
      if (credential.inclusionProof) continue
      const proof: InclusionProof | undefined = credential.anchoringUri
        ? await fetchInclusionProof(credential.anchoringUri)
        : undefined
      if (proof) credential.inclusionProof = proof
      else missing++
    }
    return missing
  }

  /** Fetches and verifies an OpenID4VP request (by reference): who asks, for what. */
  receive(authorizationRequest: string): Promise<VerifiedPresentationRequest> {
    return receivePresentationRequest(authorizationRequest, { resolveDid: this.resolveDid })
  }

  /** After consent: answers with the credentials not withheld (VP JWT, direct_post). */
  answer(request: VerifiedPresentationRequest, withheld: ReadonlySet<string>): Promise<PresentationResponseResult> {
    return answerPresentationRequest({
      request,
      holder: this.holder,
      credentials: this.credentials.filter((c) => !withheld.has(c.id)),
    })
  }
}

/** Flips one hex digit of the first sibling hash: the proof then leads to another root. */
export function tamperInclusionProof(proof: InclusionProof): InclusionProof {
  const path = [...proof.proof]
  const target = path.length ? 0 : -1
  if (target < 0) return { ...proof, root: flipLastHex(proof.root) }
  path[target] = flipLastHex(path[target]!)
  return { ...proof, proof: path }
}

const flipLastHex = (value: string) => {
  const last = value.at(-1)!
  const flipped = (Number.parseInt(last, 16) ^ 1).toString(16)
  return `${value.slice(0, -1)}${flipped}`
}
