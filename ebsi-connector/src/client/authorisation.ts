import { randomUUID } from 'node:crypto'
import type { Signer } from '../keys/index.ts'
import { EbsiResponseInvalid } from './errors.ts'
import type { EbsiHttp } from './http.ts'
import { EBSI_PATHS } from './registries.ts'

/** The scopes of Authorisation v4 this project uses (tsr_write: from the TSR spec, granted via the TPR). */
export type EbsiScope =
  | 'didr_invite'
  | 'didr_write'
  | 'tir_invite'
  | 'tir_write'
  | 'timestamp_write'
  | 'tsr_write'

/** OP metadata of `/.well-known/openid-configuration`. */
export interface OpenIdConfiguration {
  issuer: string
  token_endpoint: string
  jwks_uri?: string
  presentation_definition_endpoint?: string
  grant_types_supported?: string[]
  scopes_supported?: string[]
  [member: string]: unknown
}

/** A DIF presentation definition. */
export interface PresentationDefinition {
  id: string
  format?: Record<string, unknown>
  input_descriptors: { id: string; [member: string]: unknown }[]
}

/** The token endpoint's answer. */
export interface AccessTokenResponse {
  access_token: string
  id_token?: string
  token_type: 'Bearer' | string
  scope: string
  expires_in: number
}

/** Who asks for a token: a DID and the key whose signature proves control (its thumbprint is the kid). */
export interface TokenHolder {
  did: string
  /** Signs the VP; its `kid` (JWK thumbprint) becomes the VP's `did#kid`. */
  signer: Signer
}

/** Authorisation API v4. */
export class AuthorisationApi {
  #configuration: OpenIdConfiguration | undefined

  constructor(readonly http: EbsiHttp) {}

  async openIdConfiguration(): Promise<OpenIdConfiguration> {
    this.#configuration ??= await this.http.getJson<OpenIdConfiguration>(
      `${EBSI_PATHS.authorisation}/.well-known/openid-configuration`,
    )
    return this.#configuration
  }

  jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    return this.http.getJson(`${EBSI_PATHS.authorisation}/jwks`)
  }

  presentationDefinition(scope: EbsiScope): Promise<PresentationDefinition> {
    return this.http.getJson(`${EBSI_PATHS.authorisation}/presentation-definitions`, {
      scope: `openid ${scope}`,
    })
  }

  /** Raw token request (form-encoded as the spec demands). */
  async token(args: {
    scope: EbsiScope
    vpToken: string
    presentationSubmission: unknown
  }): Promise<AccessTokenResponse> {
    const response = await this.http.postForm<AccessTokenResponse>(`${EBSI_PATHS.authorisation}/token`, {
      grant_type: 'vp_token',
      scope: `openid ${args.scope}`,
      vp_token: args.vpToken,
      presentation_submission: JSON.stringify(args.presentationSubmission),
    })
    if (typeof response.access_token !== 'string')
      throw new EbsiResponseInvalid('token response without access_token')
    return response
  }

  /**
   * Full flow: fetch the presentation definition of the scope, sign a VP JWT (with a fresh nonce)
   * holding `credentials`, build the presentation_submission, exchange it for an access token.
   */
  async requestAccessToken(args: {
    scope: EbsiScope
    holder: TokenHolder
    credentials?: string[]
  }): Promise<AccessTokenResponse> {
    const [configuration, definition] = await Promise.all([
      this.openIdConfiguration(),
      this.presentationDefinition(args.scope),
    ])
    const credentials = args.credentials ?? []
    const vpToken = await createVpJwt({
      holder: args.holder,
      audience: configuration.issuer,
      credentials,
    })
    const presentationSubmission = {
      id: randomUUID(),
      definition_id: definition.id,
      descriptor_map: definition.input_descriptors.map((descriptor, index) => ({
        id: descriptor.id,
        format: 'jwt_vp',
        path: '$',
        path_nested: { id: descriptor.id, format: 'jwt_vc', path: `$.vp.verifiableCredential[${index}]` },
      })),
    }
    return this.token({ scope: args.scope, vpToken, presentationSubmission })
  }
}

/**
 * A VP JWT as EBSI's Authorisation API expects it: header {alg, typ: JWT, kid: did#thumbprint},
 * payload {iss, sub, aud, jti, nonce, iat, nbf, exp, vp}.
 */
export async function createVpJwt(args: {
  holder: TokenHolder
  audience: string
  credentials: string[]
  nonce?: string
  /** Default 300 s: our ledger node refuses a VP that lives longer (it would outlive its nonce). */
  lifetimeSeconds?: number
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const id = `urn:uuid:${randomUUID()}`
  return args.holder.signer.signJwt(
    {
      iss: args.holder.did,
      sub: args.holder.did,
      aud: args.audience,
      jti: id,
      nonce: args.nonce ?? randomUUID(),
      iat: now,
      nbf: now,
      exp: now + (args.lifetimeSeconds ?? 300),
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id,
        type: ['VerifiablePresentation'],
        holder: args.holder.did,
        verifiableCredential: args.credentials,
      },
    },
    { typ: 'JWT', kid: `${args.holder.did}#${args.holder.signer.kid}` },
  )
}
