import { createHash, randomBytes } from 'node:crypto'
import { clientAuthenticationNone, type JwtSigner } from '@openid4vc/oauth2'
import { Openid4vciClient, setGlobalConfig } from '@openid4vc/openid4vci'
import type { TestHolder } from './harness.ts'

// The pilot runs on plain http on localhost; the library insists on https unless told otherwise.
setGlobalConfig({ allowInsecureUrls: true })

/**
 * An independent OpenID4VCI wallet: @openid4vc/openid4vci (the stack behind Credo), which the product
 * itself does not use. `signWith` lets a test sign proofs with another key than the holder's.
 */
export function independentWallet(holder: TestHolder, signWith: TestHolder = holder) {
  return new Openid4vciClient({
    callbacks: {
      fetch,
      hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
      generateRandom: (length) => new Uint8Array(randomBytes(length)),
      clientAuthentication: clientAuthenticationNone({ clientId: holder.did }),
      signJwt: async (_signer: JwtSigner, jwt) => ({
        jwt: signWith.signJwt(jwt.header, jwt.payload),
        signerJwk: signWith.jwk,
      }),
    },
  })
}

/** Redeems an offer URI with the independent client; returns the credential response. */
export async function redeemWithIndependentClient(
  offerUri: string,
  txCode: string,
  holder: TestHolder,
  options: { signWith?: TestHolder; nonce?: string } = {},
) {
  const client = independentWallet(holder, options.signWith)
  const credentialOffer = await client.resolveCredentialOffer(offerUri)
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer,
    issuerMetadata,
    txCode,
  })
  const nonce =
    options.nonce ??
    (accessTokenResponse.c_nonce as string | undefined) ??
    (await client.requestNonce({ issuerMetadata })).c_nonce
  const credentialConfigurationId = credentialOffer.credential_configuration_ids[0]!
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId,
    nonce,
    signer: { method: 'did', didUrl: `${holder.did}#${holder.did.slice('did:key:'.length)}`, alg: 'ES256' },
  })
  const response = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId,
    proof: { proof_type: 'jwt', jwt },
  })
  return { response, issuerMetadata, nonce, version: issuerMetadata.originalDraftVersion }
}
