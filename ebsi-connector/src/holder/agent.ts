import type { KeyStore } from '../keys/index.ts'
import { createHolderIdentity, type HolderIdentity, loadHolderIdentity } from './identity.ts'
import type { DidDocumentResolver } from './jwt-verify.ts'
import {
  answerPresentationRequest,
  declinePresentationRequest,
  type PresentationResponseResult,
  receivePresentationRequest,
  type VerifiedPresentationRequest,
} from './oid4vp.ts'
import { fetchInclusionProof, redeemCredentialOffer } from './oid4vci.ts'
import { decodeJwtPayload } from './pex.ts'
import type { HolderCredentialRepository, StoredCredential } from './repository.ts'

/** Options of {@link HolderAgent}. */
export interface HolderAgentOptions {
  keys: KeyStore
  /** Where credentials are kept; wrap it in a `VerifyingHolderRepository` to keep only verified ones. */
  repository: HolderCredentialRepository
  /** Resolves verifiers' did:ebsi (e.g. `getDidEbsiResolver` against the DID Registry). */
  resolveDid: DidDocumentResolver
  /** fetch for every outbound request, unless `fetchFor` names one for the party's role. */
  fetch?: typeof fetch
  /**
   * fetch per role (e.g. `createGuardedFetch` with the origins trusted for each): `issuer` for
   * OpenID4VCI (offer by reference, metadata, token, nonce, credential, deferred, anchoring),
   * `verifier` for OpenID4VP (request_uri, the direct_post answer). Keeping them apart stops an
   * offer from reaching a verifier, and a request from reaching an issuer.
   */
  fetchFor?: { issuer?: typeof fetch; verifier?: typeof fetch }
}

/**
 * The case wallet's holder agent, used by wallet-ui (server side) and the pilot: one did:key per
 * case wallet, keys sealed in the key store, credentials and inclusion proofs in the injected
 * repository, OpenID4VCI redemption and OpenID4VP answers.
 */
export class HolderAgent {
  constructor(readonly options: HolderAgentOptions) {}

  #fetch(role: 'issuer' | 'verifier'): { fetch?: typeof fetch } {
    const chosen = this.options.fetchFor?.[role] ?? this.options.fetch
    return chosen ? { fetch: chosen } : {}
  }

  /** Creates the case wallet's did:key (EBSI jwk_jcs-pub, P-256). */
  createIdentity(alias?: string): Promise<HolderIdentity> {
    return createHolderIdentity(this.options.keys, alias)
  }

  loadIdentity(kidOrAlias: string): Promise<HolderIdentity> {
    return loadHolderIdentity(this.options.keys, kidOrAlias)
  }

  /** Redeems an offer and stores what it yields (with the inclusion proof when already anchored). */
  async redeemOffer(holder: HolderIdentity, offer: string | Record<string, unknown>, txCode?: string): Promise<StoredCredential[]> {
    const redeemed = await redeemCredentialOffer({
      offer,
      holder,
      ...(txCode !== undefined ? { txCode } : {}),
      ...this.#fetch('issuer'),
    })
    const stored: StoredCredential[] = []
    for (const item of redeemed) {
      const payload = decodeJwtPayload(item.jwt) ?? {}
      const vc = (payload.vc ?? {}) as { type?: string[]; id?: string }
      const credential: StoredCredential = {
        id: String(payload.jti ?? vc.id ?? globalThis.crypto.randomUUID()),
        holderDid: holder.did,
        jwt: item.jwt,
        types: Array.isArray(vc.type) ? vc.type : [],
        issuer: String(payload.iss ?? ''),
        receivedAt: new Date(),
        ...(item.anchoringUri ? { anchoringUri: item.anchoringUri } : {}),
        ...(item.inclusionProof ? { inclusionProof: item.inclusionProof } : {}),
      }
      await this.options.repository.save(credential)
      stored.push(credential)
    }
    return stored
  }

  /** Fetches the inclusion proofs still missing; returns how many were stored. */
  async refreshInclusionProofs(holderDid: string): Promise<number> {
    let count = 0
    for (const credential of await this.options.repository.list(holderDid)) {
      if (credential.inclusionProof || !credential.anchoringUri) continue
      const proof = await fetchInclusionProof(credential.anchoringUri, this.#fetch('issuer').fetch)
      if (proof) {
        await this.options.repository.saveInclusionProof(holderDid, credential.id, proof)
        count++
      }
    }
    return count
  }

  /** Fetches and verifies a presentation request; the result says who asks and for what. */
  receivePresentationRequest(url: string): Promise<VerifiedPresentationRequest> {
    return receivePresentationRequest(url, { resolveDid: this.options.resolveDid, ...this.#fetch('verifier') })
  }

  /** After consent: answers with the matching credentials of this holder. */
  async answerPresentationRequest(holder: HolderIdentity, request: VerifiedPresentationRequest): Promise<PresentationResponseResult> {
    return answerPresentationRequest({
      request,
      holder,
      credentials: await this.options.repository.list(holder.did),
      ...this.#fetch('verifier'),
    })
  }

  declinePresentationRequest(request: VerifiedPresentationRequest): Promise<PresentationResponseResult> {
    return declinePresentationRequest(request, this.#fetch('verifier').fetch)
  }
}
