import type Router from '@koa/router'
import { EbsiClientError } from '@flora/ebsi-connector'
import { HttpProblem, type OperationSpec, parseInput } from '@flora/service-kit'
import type { Context, Next } from 'koa'
import type { IssuerContext } from '../services/context.ts'
import * as deployment from '../services/deployment.ts'
import { deploymentAdminGuard, resolveDeploymentAdminToken } from '../services/deployment-admin.ts'
import * as schemas from './schemas.ts'

const adminSecurity: Record<string, string[]>[] = [{ deploymentAdmin: [] }]

/** The OpenAPI security scheme of the deployment-admin token. */
export const deploymentAdminScheme = {
  type: 'http',
  scheme: 'bearer',
  description:
    'Deployment-admin token: FLORA_ISSUER_ADMIN_TOKEN, or generated once into <data dir>/issuer-admin-token (0600)',
}

/** Ledger failures during onboarding surface as 502 with the ledger's own message. */
async function ledgerErrors(_ctx: Context, next: Next) {
  try {
    await next()
  } catch (error) {
    if (error instanceof EbsiClientError)
      throw new HttpProblem(502, 'Bad Gateway', {
        type: 'https://flora-vc.eu/problems/ledger-refused',
        detail: `the ledger refused: ${error.message}`,
        cause: error,
      })
    throw error
  }
}

/**
 * The deployment administrator's API: onboarding of tenant authorities (each with its own keys and
 * did:ebsi) and of the deployment's anchoring identity, step by step as EBSI's onboarding goes; the
 * accreditor's steps (authorisation to onboard, TIR pre-registration, accreditation VC) are signed by
 * the TAO elsewhere and handed in. Guarded by the deployment-admin token, every step audited.
 */
export function mountDeploymentRoutes(issuer: IssuerContext, router: Router): OperationSpec[] {
  const { token } = resolveDeploymentAdminToken(
    issuer.config.FLORA_ISSUER_ADMIN_TOKEN,
    issuer.config.FLORA_ISSUER_DATABASE_URL,
  )
  const guard = deploymentAdminGuard(token)
  const admin = async (ctx: Context, next: Next) => {
    guard(ctx.get('authorization'))
    ctx.set('cache-control', 'no-store')
    await next()
  }
  const id = (ctx: Context) => parseInput(schemas.authorityIdParam, ctx.params.authorityId, 'path')

  router.get('/admin/ledger/schemas', admin, (ctx) => {
    ctx.body = { items: deployment.ledgerSchemas(issuer) }
  })
  router.post('/admin/authorities', admin, ledgerErrors, async (ctx) => {
    const body = parseInput(schemas.createAuthorityBody, ctx.request.body, 'body')
    ctx.status = 201
    ctx.body = await deployment.createTenant(issuer, body)
  })
  router.get('/admin/authorities', admin, async (ctx) => {
    ctx.body = { items: await deployment.listTenants(issuer) }
  })
  router.get('/admin/authorities/:authorityId', admin, ledgerErrors, async (ctx) => {
    ctx.body = await deployment.tenantView(issuer, id(ctx), undefined, ctx.query.ledger === 'true')
  })
  router.post('/admin/authorities/:authorityId/did', admin, async (ctx) => {
    ctx.body = await deployment.ensureTenantDid(issuer, id(ctx))
  })
  router.post('/admin/authorities/:authorityId/onboarding', admin, ledgerErrors, async (ctx) => {
    const body = parseInput(schemas.onboardingBody, ctx.request.body, 'body')
    ctx.body = await deployment.onboardTenant(issuer, id(ctx), body.authorisationToOnboard)
  })
  router.post('/admin/authorities/:authorityId/accreditation', admin, ledgerErrors, async (ctx) => {
    const body = parseInput(schemas.accreditationBody, ctx.request.body, 'body')
    ctx.body = await deployment.accreditTenant(issuer, id(ctx), body)
  })
  router.post('/admin/authorities/:authorityId/staff', admin, async (ctx) => {
    const body = parseInput(schemas.tenantStaffBody, ctx.request.body, 'body')
    ctx.status = 201
    ctx.body = await deployment.createTenantStaff(issuer, id(ctx), body)
  })
  router.post('/admin/authorities/:authorityId/api-tokens', admin, async (ctx) => {
    const body = parseInput(schemas.tenantApiTokenBody, ctx.request.body, 'body')
    ctx.status = 201
    ctx.body = await deployment.createTenantApiToken(issuer, id(ctx), body)
  })
  router.get('/admin/anchoring', admin, async (ctx) => {
    ctx.body = await deployment.anchoringView(issuer)
  })
  router.post('/admin/anchoring/did', admin, async (ctx) => {
    ctx.body = await deployment.ensureAnchoringDid(issuer)
  })
  router.post('/admin/anchoring/onboarding', admin, ledgerErrors, async (ctx) => {
    const body = parseInput(schemas.onboardingBody, ctx.request.body, 'body')
    ctx.body = await deployment.onboardAnchoring(issuer, body.authorisationToOnboard)
  })

  const tags = ['deployment']
  const security = adminSecurity
  return [
    {
      method: 'get',
      path: '/admin/ledger/schemas',
      summary: 'Schemas the issuer’s credentials name, with the TSR URL each must have (for the TSR writer)',
      tags,
      security,
      responses: { '200': { description: 'Schemas' } },
    },
    {
      method: 'post',
      path: '/admin/authorities',
      summary: 'Create a tenant authority (name, catalogue role, jurisdiction)',
      tags,
      security,
      body: schemas.createAuthorityBody,
      responses: {
        '201': { description: 'Created', schema: schemas.tenantView },
        '409': { description: 'Exists' },
      },
    },
    {
      method: 'get',
      path: '/admin/authorities',
      summary: 'Tenant authorities with their onboarding stage',
      tags,
      security,
      responses: { '200': { description: 'Tenants' } },
    },
    {
      method: 'get',
      path: '/admin/authorities/{authorityId}',
      summary: 'A tenant and its onboarding stage (?ledger=true reads the DID Registry)',
      tags,
      security,
      responses: { '200': { description: 'Tenant', schema: schemas.tenantView } },
    },
    {
      method: 'post',
      path: '/admin/authorities/{authorityId}/did',
      summary: 'Generate the tenant’s keys and did:ebsi (idempotent); returns the DID and public keys',
      tags,
      security,
      responses: { '200': { description: 'DID and keys', schema: schemas.tenantDidView } },
    },
    {
      method: 'post',
      path: '/admin/authorities/{authorityId}/onboarding',
      summary: 'Register the tenant’s DID document on the ledger with its VerifiableAuthorisationToOnboard',
      tags,
      security,
      body: schemas.onboardingBody,
      responses: {
        '200': { description: 'Registered' },
        '502': { description: 'The ledger refused' },
      },
    },
    {
      method: 'post',
      path: '/admin/authorities/{authorityId}/accreditation',
      summary:
        'Write the TAO’s accreditation into the pre-registered TIR attribute (tir_invite) and register the status-list proxy',
      tags,
      security,
      body: schemas.accreditationBody,
      responses: {
        '200': { description: 'Accredited', schema: schemas.tenantView },
        '502': { description: 'The ledger refused' },
      },
    },
    {
      method: 'post',
      path: '/admin/authorities/{authorityId}/staff',
      summary: 'Create a staff account of the tenant',
      tags,
      security,
      body: schemas.tenantStaffBody,
      responses: { '201': { description: 'Created' }, '409': { description: 'Username taken' } },
    },
    {
      method: 'post',
      path: '/admin/authorities/{authorityId}/api-tokens',
      summary: 'Create an API token of the tenant (shown once)',
      tags,
      security,
      body: schemas.tenantApiTokenBody,
      responses: { '201': { description: 'Token' } },
    },
    {
      method: 'get',
      path: '/admin/anchoring',
      summary: 'The deployment’s anchoring identity and its stage',
      tags,
      security,
      responses: { '200': { description: 'Anchoring identity', schema: schemas.anchoringView } },
    },
    {
      method: 'post',
      path: '/admin/anchoring/did',
      summary: 'Generate the anchoring identity’s keys and did:ebsi (idempotent)',
      tags,
      security,
      responses: { '200': { description: 'Anchoring identity', schema: schemas.anchoringView } },
    },
    {
      method: 'post',
      path: '/admin/anchoring/onboarding',
      summary: 'Register the anchoring identity on the ledger; batches are anchored from then on',
      tags,
      security,
      body: schemas.onboardingBody,
      responses: { '200': { description: 'Onboarded' }, '502': { description: 'The ledger refused' } },
    },
  ]
}
