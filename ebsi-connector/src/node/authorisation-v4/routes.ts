import { InvalidRequest } from '../errors.ts'
import type { NodeRouter } from '../http/route-kit.ts'
import type { NodeContext } from '../state/context.ts'
import { parseScope, presentationDefinitionOf, SCOPES } from './scopes.ts'
import { authorisationUrl, createAccessToken } from './token.ts'

const BASE = '/authorisation/v4'

/** Authorisation v4: OP metadata, JWKS, presentation definitions, token endpoint. */
export function mountAuthorisation(router: NodeRouter, ctx: NodeContext): void {
  router.get(`${BASE}/.well-known/openid-configuration`, (koa) => {
    const issuer = authorisationUrl(ctx)
    const alg = { alg_values_supported: ['ES256'] }
    koa.body = {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      presentation_definition_endpoint: `${issuer}/presentation-definitions`,
      jwks_uri: `${issuer}/jwks`,
      scopes_supported: ['openid', ...SCOPES],
      response_types_supported: ['token'],
      response_mode_supported: ['query', 'fragment'],
      grant_types_supported: ['vp_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      request_object_signing_alg_values_supported: ['ES256'],
      request_parameter_supported: true,
      request_uri_parameter_supported: false,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      request_authentication_methods_supported: { authorization_endpoint: ['request_object'] },
      vp_formats_supported: { jwt_vp: alg, jwt_vp_json: alg, jwt_vc: alg, jwt_vc_json: alg },
      subject_syntax_types_supported: ['did:ebsi', 'did:key'],
      subject_syntax_types_discriminations: ['did:key:jwk_jcs-pub', 'did:ebsi:v1'],
      subject_trust_frameworks_supported: ['ebsi'],
      id_token_types_supported: ['subject_signed_id_token'],
    }
  })

  router.get(`${BASE}/jwks`, (koa) => {
    koa.type = 'application/jwk-set+json'
    koa.body = { keys: [ctx.key.publicJwk] }
  })

  router.get(`${BASE}/presentation-definitions`, (koa) => {
    const scope = parseScope(koa.query.scope)
    if (!scope)
      throw new InvalidRequest(
        `scope must be a combination of 'openid' and one of the supported scopes (${SCOPES.map((s) => `'${s}'`).join(', ')})`,
      )
    koa.body = presentationDefinitionOf(scope)
  })

  router.post(`${BASE}/token`, async (koa) => {
    koa.set('cache-control', 'no-store')
    koa.body = await createAccessToken(ctx, koa.request.body)
  })
}
