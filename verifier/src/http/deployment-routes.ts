import type Router from '@koa/router'
import { EbsiClientError } from '@flora/ebsi-connector'
import { HttpProblem, type OperationSpec, parseInput } from '@flora/service-kit'
import type { Context, Next } from 'koa'
import { z } from 'zod'
import type { DeploymentService } from '../services/deployment.ts'

const jwt = z
  .string()
  .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'a compact JWS')
  .max(100_000)
const onboardingBody = z
  .object({
    authorisationToOnboard: jwt.describe('VerifiableAuthorisationToOnboard (JWT) a TAO issued for the verifier’s DID and controller key (`cnf.jwk`)'),
  })
  .strict()
const did = z.string().regex(/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/, 'a DID').max(200)
const trustBody = z
  .object({
    trustAnchors: z
      .array(
        z
          .object({
            did,
            types: z.array(z.string().min(1).max(100)).max(200).optional(),
            jurisdictions: z.array(z.string().url().max(200)).max(50).optional(),
          })
          .strict(),
      )
      .max(50)
      .describe('DIDs accepted as the top of an accreditation chain, each with an optional policy'),
    trustedAnchorers: z
      .array(z.string().min(1).max(200))
      .max(50)
      .default([])
      .describe('DIDs/addresses allowed to have timestamped batch roots (empty: none, anchoring cannot be established)'),
  })
  .strict()
const staffBody = z
  .object({
    username: z.string().regex(/^[a-z0-9._-]{3,50}$/),
    password: z.string().min(12).max(200),
    role: z.enum(['officer', 'admin']),
  })
  .strict()

/** The OpenAPI security scheme of the deployment-admin token. */
export const deploymentAdminScheme = {
  type: 'http',
  scheme: 'bearer',
  description:
    'Deployment-admin token: FLORA_VERIFIER_ADMIN_TOKEN, or generated once into <data dir>/verifier-admin-token (0600)',
}

/**
 * The deployment administrator's routes: the verifier's own onboarding on the ledger, its trust
 * anchors and its first staff accounts. Bearer = the deployment-admin token.
 */
export function mountDeploymentRoutes(router: Router, deployment: DeploymentService): OperationSpec[] {
  const admin = async (ctx: Context, next: Next) => {
    deployment.requireAdmin(ctx.get('authorization'))
    ctx.set('cache-control', 'no-store')
    try {
      await next()
    } catch (error) {
      if (error instanceof EbsiClientError)
        throw new HttpProblem(502, 'Bad Gateway', {
          type: 'https://flora-vc.eu/problems/ledger-refused',
          detail: `the ledger refused: ${error.message}`,
        })
      throw error
    }
  }
  router.get('/deployment/onboarding', admin, async (ctx) => {
    ctx.body = await deployment.onboardingState()
  })
  router.post('/deployment/onboarding', admin, async (ctx) => {
    const body = parseInput(onboardingBody, ctx.request.body, 'body')
    ctx.body = await deployment.onboard(body.authorisationToOnboard)
  })
  router.get('/deployment/trust', admin, (ctx) => {
    ctx.body = deployment.trust()
  })
  router.put('/deployment/trust', admin, async (ctx) => {
    const body = parseInput(trustBody, ctx.request.body, 'body')
    ctx.body = await deployment.setTrust(body)
  })
  router.post('/deployment/staff', admin, async (ctx) => {
    const body = parseInput(staffBody, ctx.request.body, 'staff account')
    ctx.status = 201
    ctx.body = await deployment.createStaff(body)
  })

  const security = [{ deploymentAdmin: [] }]
  const tags = ['deployment']
  return [
    { method: 'get', path: '/deployment/onboarding', summary: 'The verifier’s DID, whether the DID Registry has it, and the controller key its authorisation to onboard must name', tags, security, responses: { '200': { description: 'State' } } },
    { method: 'post', path: '/deployment/onboarding', summary: 'Register the verifier’s did:ebsi on the ledger (VerifiableAuthorisationToOnboard from a TAO); idempotent', tags, security, body: onboardingBody, responses: { '200': { description: 'Registered' }, '502': { description: 'The ledger refused' } } },
    { method: 'get', path: '/deployment/trust', summary: 'Trust anchors and trusted anchorers in effect, and their source', tags, security, responses: { '200': { description: 'Trust' } } },
    { method: 'put', path: '/deployment/trust', summary: 'Set the trust anchors (with policies) and trusted anchorers; environment variables keep precedence', tags, security, body: trustBody, responses: { '200': { description: 'Trust in effect' } } },
    { method: 'post', path: '/deployment/staff', summary: 'Create a staff account (deployment admin)', tags, security, body: staffBody, responses: { '201': { description: 'Created' }, '409': { description: 'Exists' } } },
  ]
}
