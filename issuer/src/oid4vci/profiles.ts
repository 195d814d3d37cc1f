import { getMilestone, milestonesIssuableBy } from '@flora/credentials'
import { preAuthorizedCodeFor, TX_CODE_LENGTH, txCodeFor } from '../domain/tokens.ts'

/**
 * The two OpenID4VCI profiles, each with its own credential issuer identifier per authority:
 * - `ebsi-v3`: EBSI conformance v3 = OpenID4VCI draft 11 (credentials_supported, user_pin, deferred
 *   credentials with acceptance_token), issuer `<public>/authorities/<id>`;
 * - `v1`: OpenID4VCI 1.0 (credential_configurations_supported, tx_code, nonce endpoint), issuer
 *   `<public>/authorities/<id>/v1`.
 */
export type Profile = 'ebsi-v3' | 'v1'

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'

export function issuerIdentifier(publicUrl: string, authorityId: string, profile: Profile): string {
  return profile === 'v1'
    ? `${publicUrl}/authorities/${authorityId}/v1`
    : `${publicUrl}/authorities/${authorityId}`
}

const types = (type: string) => ['VerifiableCredential', 'VerifiableAttestation', type]

const display = (type: string) => {
  const title = getMilestone(type).title
  return [
    { name: title.en, locale: 'en' },
    { name: title.de, locale: 'de' },
    { name: title.fr, locale: 'fr' },
  ]
}

/** Credential issuer metadata of one authority in one profile. */
export function credentialIssuerMetadata(args: {
  publicUrl: string
  authorityId: string
  authorityName: string
  role: string
  profile: Profile
  trustFrameworkUri?: string
}) {
  const issuer = issuerIdentifier(args.publicUrl, args.authorityId, args.profile)
  const issuable = milestonesIssuableBy(args.role).map((entry) => entry.type as string)
  const issuerDisplay = [{ name: args.authorityName, locale: 'de' }]
  if (args.profile === 'ebsi-v3') {
    return {
      credential_issuer: issuer,
      authorization_server: issuer,
      credential_endpoint: `${issuer}/credential`,
      deferred_credential_endpoint: `${issuer}/credential_deferred`,
      display: issuerDisplay,
      credentials_supported: issuable.flatMap((type) => [
        // EBSI conformance shape (format jwt_vc), and the same credential under the registered
        // format name jwt_vc_json for generic draft-11 wallets; the credential endpoint takes both.
        {
          id: `${type}.jwt_vc`,
          format: 'jwt_vc',
          types: types(type),
          trust_framework: {
            name: 'ebsi',
            type: 'Accreditation',
            ...(args.trustFrameworkUri ? { uri: args.trustFrameworkUri } : {}),
          },
          cryptographic_binding_methods_supported: ['did:key'],
          cryptographic_suites_supported: ['ES256'],
          display: display(type),
        },
        {
          id: type,
          format: 'jwt_vc_json',
          types: types(type),
          cryptographic_binding_methods_supported: ['did:key'],
          cryptographic_suites_supported: ['ES256'],
          display: display(type),
        },
      ]),
    }
  }
  return {
    credential_issuer: issuer,
    authorization_servers: [issuer],
    credential_endpoint: `${issuer}/credential`,
    nonce_endpoint: `${issuer}/nonce`,
    display: issuerDisplay,
    credential_configurations_supported: Object.fromEntries(
      issuable.map((type) => [
        type,
        {
          format: 'jwt_vc_json',
          scope: type,
          credential_definition: { type: types(type) },
          cryptographic_binding_methods_supported: ['did:key'],
          credential_signing_alg_values_supported: ['ES256'],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
          credential_metadata: { display: display(type) },
        },
      ]),
    ),
  }
}

/** Authorization server metadata (pre-authorised code only). */
export function authorizationServerMetadata(args: {
  publicUrl: string
  authorityId: string
  profile: Profile
}) {
  const issuer = issuerIdentifier(args.publicUrl, args.authorityId, args.profile)
  return {
    issuer,
    token_endpoint: `${issuer}/token`,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  }
}

/** The credential offer of a recorded milestone in both profiles, plus the transaction code. */
export function credentialOffers(args: {
  publicUrl: string
  authorityId: string
  milestoneId: string
  type: string
  secret: Uint8Array
}) {
  const code = preAuthorizedCodeFor(args.secret, args.milestoneId)
  const ebsi = {
    credential_issuer: issuerIdentifier(args.publicUrl, args.authorityId, 'ebsi-v3'),
    credentials: [args.type],
    grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': code, user_pin_required: true } },
  }
  const v1 = {
    credential_issuer: issuerIdentifier(args.publicUrl, args.authorityId, 'v1'),
    credential_configuration_ids: [args.type],
    grants: {
      [PRE_AUTHORIZED_GRANT]: {
        'pre-authorized_code': code,
        tx_code: { input_mode: 'numeric', length: TX_CODE_LENGTH, description: 'Code from the authority' },
      },
    },
  }
  const uri = (offer: object) =>
    `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`
  return {
    txCode: txCodeFor(args.secret, args.milestoneId),
    offers: {
      'ebsi-v3': { credentialOffer: ebsi, uri: uri(ebsi) },
      v1: { credentialOffer: v1, uri: uri(v1) },
    },
  }
}
