import type Router from '@koa/router'
import {
  type AttemptThrottle,
  clearBrowserCookie,
  forbidden,
  HttpProblem,
  notFound,
  type OperationSpec,
  originOf,
  parseInput,
  refuseForeignOrigin,
  requestClient,
  requireSameOrigin,
  sessionCookieName,
  setBrowserCookie,
  unauthorized,
} from '@flora/service-kit'
import type { Context, Next } from 'koa'
import { z } from 'zod'
import type { VerifierConfig } from '../config.ts'
import { AssessmentInputInvalid, PresentationRequestInvalid, TokenMalformed, TrustSnapshotInvalid } from '../errors.ts'
import { isCalendarDay } from '../pipeline/as-of.ts'
import { declaredFactsSchema } from '../pipeline/declared-facts.ts'
import { renderReportHtml, reportContentSecurityPolicy } from '../report/html.ts'
import { reportJson } from '../report/report-json.ts'
import type { Lang } from '../report/i18n.ts'
import type { AuthService, Principal, StaffRole } from '../services/auth.ts'
import type { VerifierIdentity } from '../services/identity.ts'
import type { NonceStore } from '../services/nonces.ts'
import type { Oid4vpService } from '../services/oid4vp.ts'
import type { TrustService } from '../services/trust.ts'
import type { VerificationService } from '../services/verification.ts'
import type { ReportStore } from '../store/report-store.ts'
import { redirectUriSchema } from './redirect-uri.ts'

export interface RouteDeps {
  config: VerifierConfig
  auth: AuthService
  throttle: AttemptThrottle
  identity: VerifierIdentity
  nonces: NonceStore
  oid4vp: Oid4vpService
  trust: TrustService
  verification: VerificationService
  reports: ReportStore
}

/** The session cookie's name; `__Host-` prefixed when the public URL is https (see sessionCookieName). */
const SESSION_COOKIE_NAME = 'flora_verifier_session'
/** The browser's device token (see LoginGuard); sent only to /session. */
const DEVICE_COOKIE = 'flora_verifier_device'
const bearer: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }]

/** Maps the verifier's own errors to problem+json (the service kit's funnel shapes the body). */
async function translateErrors(_ctx: Context, next: Next) {
  try {
    await next()
  } catch (error) {
    if (error instanceof TokenMalformed)
      throw new HttpProblem(400, 'Bad Request', { type: 'https://flora-vc.eu/problems/token-malformed', detail: error.message })
    if (error instanceof PresentationRequestInvalid)
      throw new HttpProblem(400, 'Bad Request', { type: 'https://flora-vc.eu/problems/presentation-request-invalid', detail: error.message })
    if (error instanceof AssessmentInputInvalid)
      throw new HttpProblem(400, 'Bad Request', {
        type: 'https://flora-vc.eu/problems/invalid-input',
        detail: `${error.field} ${error.message}`,
        extensions: { 'invalid-params': [{ name: error.field, reason: error.message }] },
      })
    if (error instanceof TrustSnapshotInvalid)
      throw new HttpProblem(422, 'Unprocessable Content', { type: 'https://flora-vc.eu/problems/trust-snapshot-invalid', detail: error.message })
    throw error
  }
}

/** The day the Dublin assessment is made for; checked against today when the request arrives. */
const asOfMember = z
  .string()
  .refine(isCalendarDay, 'must be a calendar date YYYY-MM-DD that exists')
  .optional()
  .describe(
    'The day the Dublin assessment is made for (YYYY-MM-DD): today or an earlier day, never a later one. Default: today in the verifier’s time zone (FLORA_VERIFIER_TIME_ZONE)',
  )

const verifyBody = z
  .object({
    token: z.string().min(1).max(500_000).describe('A VC JWT or a VP JWT'),
    eurodacReference: z
      .string()
      .regex(/^[A-Za-z0-9 ]{1,40}$/)
      .optional()
      .describe('The Eurodac reference from the verifier’s own hit (subject binding)'),
    anchoringProof: z
      .object({
        leaf: z.string().max(200),
        leafIndex: z.number().int().min(0),
        treeSize: z.number().int().min(1),
        proof: z.array(z.string().max(200)).max(64),
        root: z.string().max(200),
      })
      .passthrough()
      .optional()
      .describe('For a bare VC: its inclusion proof as the issuer delivered it'),
    asOf: asOfMember,
    declaredFacts: declaredFactsSchema.optional(),
  })
  .strict()
const loginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }).strict()
const staffBody = z
  .object({ username: z.string().regex(/^[a-z0-9._-]{3,50}$/), password: z.string().min(12).max(200), role: z.enum(['officer', 'admin']) })
  .strict()
const tokenBody = z.object({ name: z.string().min(1).max(100), role: z.enum(['officer', 'admin']) }).strict()
/** The body of POST /presentation-requests; `redirectUri` must be https when the verifier is. */
const presentationRequestBody = (requireHttps: boolean) =>
  z
    .object({
      definition: z.enum(['dublin', 'ebsi-conformance']).optional(),
      eurodacReference: z.string().regex(/^[A-Za-z0-9 ]{1,40}$/).optional(),
      redirectUri: redirectUriSchema(requireHttps).optional(),
      asOf: asOfMember.describe(
        'The day the answer is assessed for (YYYY-MM-DD): today or an earlier day. Default: today in the verifier’s time zone (FLORA_VERIFIER_TIME_ZONE) when the request is created — fixed then, so that the wallet cannot move it by answering after midnight; the report states when it was fixed (`dublin.asOfFixedAt`)',
      ),
      declaredFacts: declaredFactsSchema.optional(),
    })
    .strict()
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.string().datetime().optional() })
const reportQuery = z.object({ format: z.enum(['json', 'html']).optional(), lang: z.enum(['fr', 'de', 'en']).default('fr') })
const snapshotBody = z.object({ snapshot: z.string().min(1).max(20_000_000) }).strict()

/** Every endpoint of the verifier; thin: parse, call one service, set the body. */
export function mountVerifierRoutes(router: Router, deps: RouteDeps): OperationSpec[] {
  const { config } = deps
  const publicUrl = config.FLORA_VERIFIER_PUBLIC_URL
  const SESSION_COOKIE = sessionCookieName(SESSION_COOKIE_NAME, publicUrl)
  const allowedOrigins = [originOf(publicUrl), ...config.FLORA_VERIFIER_ALLOWED_ORIGINS]
  const responseLimits = config.FLORA_VERIFIER_RESPONSE_THROTTLE
  const requestBody = presentationRequestBody(new URL(publicUrl).protocol === 'https:')
  const requireStaff =
    (roles: StaffRole[] = ['officer', 'admin']) =>
    async (ctx: Context, next: Next) => {
      const header = ctx.get('authorization')
      const bearer = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined
      // a state change on the strength of the cookie must come from one of our pages
      if (!bearer && ctx.cookies.get(SESSION_COOKIE)) requireSameOrigin(ctx, allowedOrigins)
      const token = bearer ?? ctx.cookies.get(SESSION_COOKIE)
      const principal = await deps.auth.authenticate(token)
      if (!principal) throw unauthorized('authentication required (Bearer token or session)')
      if (!roles.includes(principal.role)) throw forbidden(`requires role ${roles.join(' or ')}`)
      ctx.state.principal = principal
      await next()
    }
  const principal = (ctx: Context) => ctx.state.principal as Principal
  router.use(translateErrors)

  router.get('/identity', (ctx) => {
    ctx.body = {
      did: deps.identity.did,
      kid: deps.identity.kid,
      assertionKey: { kid: deps.identity.assertion.kid, publicKeyJwk: deps.identity.assertion.publicKeyJwk },
      controllerKey: { kid: deps.identity.controller.kid, publicKeyJwk: deps.identity.controller.publicKeyJwk },
    }
  })

  router.post('/session', async (ctx) => {
    refuseForeignOrigin(ctx, allowedOrigins)
    const body = parseInput(loginBody, ctx.request.body, 'login')
    const session = await deps.auth.login({
      ...body,
      client: requestClient(ctx, config.FLORA_VERIFIER_TRUSTED_PROXIES),
      deviceToken: ctx.cookies.get(DEVICE_COOKIE),
    })
    // the token only in an httpOnly cookie: no script of a page that makes the call can read it
    setBrowserCookie(ctx, SESSION_COOKIE, session.token, { publicUrl, expires: session.expiresAt })
    setBrowserCookie(ctx, DEVICE_COOKIE, session.device.token, {
      publicUrl,
      expires: session.device.expires,
      path: '/session',
    })
    ctx.set('cache-control', 'no-store')
    ctx.body = { expiresAt: session.expiresAt.toISOString(), role: session.role }
  })
  router.delete('/session', requireStaff(), async (ctx) => {
    const header = ctx.get('authorization')
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ctx.cookies.get(SESSION_COOKIE)
    if (token) await deps.auth.logout(token)
    clearBrowserCookie(ctx, SESSION_COOKIE, { publicUrl })
    ctx.status = 204
  })
  router.post('/admin/staff', requireStaff(['admin']), async (ctx) => {
    const body = parseInput(staffBody, ctx.request.body, 'staff account')
    ctx.status = 201
    ctx.body = await deps.auth.createStaff(body.username, body.password, body.role)
  })
  router.get('/admin/staff', requireStaff(['admin']), async (ctx) => {
    ctx.body = { items: await deps.auth.listStaff() }
  })
  router.delete('/admin/staff/:id', requireStaff(['admin']), async (ctx) => {
    await deps.auth.disableStaff(ctx.params.id ?? '', principal(ctx))
    ctx.status = 204
  })
  router.post('/admin/api-tokens', requireStaff(['admin']), async (ctx) => {
    const body = parseInput(tokenBody, ctx.request.body, 'API token')
    ctx.status = 201
    ctx.set('cache-control', 'no-store')
    ctx.body = await deps.auth.createApiToken(body.name, body.role, principal(ctx).actor)
  })
  router.get('/admin/api-tokens', requireStaff(['admin']), async (ctx) => {
    ctx.body = { items: await deps.auth.listApiTokens() }
  })
  router.delete('/admin/api-tokens/:id', requireStaff(['admin']), async (ctx) => {
    await deps.auth.revokeApiToken(ctx.params.id ?? '')
    ctx.status = 204
  })

  router.post('/nonces', requireStaff(), async (ctx) => {
    const { nonce, expiresAt } = await deps.nonces.issue('direct')
    ctx.status = 201
    ctx.body = { nonce, audience: deps.identity.did, expiresAt: expiresAt.toISOString() }
  })
  router.post('/verifications', requireStaff(), async (ctx) => {
    const body = parseInput(verifyBody, ctx.request.body, 'verification request')
    const report = await deps.verification.verify({
      token: body.token.trim(),
      actor: principal(ctx).actor,
      source: 'direct',
      ...(body.eurodacReference ? { eurodacReference: body.eurodacReference } : {}),
      ...(body.anchoringProof ? { anchoringProof: body.anchoringProof } : {}),
      ...(body.asOf ? { asOf: body.asOf } : {}),
      ...(body.declaredFacts ? { declaredFacts: body.declaredFacts } : {}),
    })
    ctx.status = 201
    ctx.set('location', `/reports/${report.id}`)
    ctx.type = 'application/json'
    ctx.body = reportJson(report)
  })

  router.get('/reports', requireStaff(), async (ctx) => {
    const query = parseInput(listQuery, ctx.query, 'query')
    ctx.body = { items: await deps.reports.list({ limit: query.limit, ...(query.before ? { before: new Date(query.before) } : {}) }) }
  })
  const sendReport = (download: boolean) => async (ctx: Context) => {
    const query = parseInput(reportQuery, ctx.query, 'query')
    if (!/^[0-9a-f-]{36}$/.test(ctx.params.id ?? '')) throw notFound('no such report')
    const report = await deps.reports.get(ctx.params.id!)
    if (!report) throw notFound('no such report')
    const html = query.format === 'html' || (!query.format && !download && ctx.accepts('json', 'html') === 'html')
    if (download) ctx.set('content-disposition', `attachment; filename="verification-${report.id}.${html ? 'html' : 'json'}"`)
    ctx.set('cache-control', 'no-store')
    if (html) {
      ctx.type = 'text/html; charset=utf-8'
      ctx.set('content-security-policy', reportContentSecurityPolicy)
      ctx.body = renderReportHtml(report, query.lang as Lang)
    } else ctx.body = report
  }
  router.get('/reports/:id', requireStaff(), sendReport(false))
  router.get('/reports/:id/export', requireStaff(), sendReport(true))
  router.get('/verification-log', requireStaff(['admin']), async (ctx) => {
    const query = parseInput(listQuery, ctx.query, 'query')
    ctx.body = { items: await deps.reports.log({ limit: query.limit }) }
  })

  router.post('/presentation-requests', requireStaff(), async (ctx) => {
    const body = parseInput(requestBody, ctx.request.body ?? {}, 'presentation request')
    ctx.status = 201
    ctx.body = await deps.oid4vp.createRequest({
      createdBy: principal(ctx).actor,
      ...(body.definition ? { definition: body.definition } : {}),
      ...(body.eurodacReference ? { eurodacReference: body.eurodacReference } : {}),
      ...(body.redirectUri ? { redirectUri: body.redirectUri } : {}),
      ...(body.asOf ? { asOf: body.asOf } : {}),
      ...(body.declaredFacts ? { declaredFacts: body.declaredFacts } : {}),
    })
  })
  router.get('/presentation-requests/:id', requireStaff(), async (ctx) => {
    const status = await deps.oid4vp.status(ctx.params.id ?? '')
    if (!status) throw notFound('no such presentation request')
    ctx.body = status
  })
  router.get('/oid4vp/requests/:id', async (ctx) => {
    const jwt = await deps.oid4vp.requestObject(ctx.params.id ?? '')
    ctx.type = 'application/oauth-authz-req+jwt'
    ctx.set('cache-control', 'no-store')
    ctx.body = jwt
  })
  router.post('/oid4vp/response', async (ctx) => {
    // One read per answer before, one count per failed answer after (unknown state, not a form):
    // cheap, and never a write on the way of a real answer to its verification.
    const junk = {
      rule: { name: 'oid4vp-response-client', limit: responseLimits.client, windowSeconds: responseLimits.window },
      subject: requestClient(ctx, config.FLORA_VERIFIER_TRUSTED_PROXIES),
    }
    await deps.throttle.check(junk)
    try {
      const body = ctx.request.body
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new HttpProblem(400, 'Bad Request', { detail: 'expected a form body (application/x-www-form-urlencoded)' })
      const { location } = await deps.oid4vp.handleResponse(body as Record<string, unknown>)
      ctx.set('cache-control', 'no-store')
      ctx.redirect(location)
    } catch (error) {
      const status = (error as { status?: unknown }).status
      if (error instanceof PresentationRequestInvalid || (typeof status === 'number' && status >= 400 && status < 500))
        await deps.throttle.fail(junk)
      throw error
    }
  })

  router.get('/trust/snapshot', requireStaff(['admin']), async (ctx) => {
    ctx.body = await deps.trust.exportSnapshot()
  })
  router.post('/trust/snapshot', requireStaff(['admin']), async (ctx) => {
    const body = parseInput(snapshotBody, ctx.request.body, 'trust snapshot')
    ctx.body = await deps.trust.importSnapshot(body.snapshot)
  })

  const staffOnly = { security: bearer }
  return [
    { method: 'get', path: '/identity', summary: 'The verifier’s did:ebsi and public keys', tags: ['identity'], responses: { '200': { description: 'Identity' } } },
    {
      method: 'post',
      path: '/session',
      summary: 'Staff login: the session token only in an httpOnly cookie (and a device cookie); throttled per client and account',
      tags: ['auth'],
      body: loginBody,
      responses: {
        '200': { description: 'Session (role, expiry)' },
        '401': { description: 'Wrong username or password (one answer for both)' },
        '429': { description: 'Too many attempts; Retry-After says when to try again' },
      },
    },
    { method: 'delete', path: '/session', summary: 'Logout (with the cookie: from an allowed Origin)', tags: ['auth'], ...staffOnly, responses: { '204': { description: 'Logged out' } } },
    { method: 'post', path: '/admin/staff', summary: 'Create a staff account (admin)', tags: ['auth'], ...staffOnly, body: staffBody, responses: { '201': { description: 'Created' } } },
    { method: 'get', path: '/admin/staff', summary: 'Staff accounts (admin; never a password hash)', tags: ['auth'], ...staffOnly, responses: { '200': { description: 'Accounts' } } },
    { method: 'delete', path: '/admin/staff/{id}', summary: 'Disable a staff account (admin): no more logins, its sessions end at once', tags: ['auth'], ...staffOnly, responses: { '204': { description: 'Disabled' }, '404': { description: 'No such account' }, '409': { description: 'Your own account' } } },
    { method: 'post', path: '/admin/api-tokens', summary: 'Create an API token (admin; shown once; expires after FLORA_VERIFIER_API_TOKEN_TTL_DAYS)', tags: ['auth'], ...staffOnly, body: tokenBody, responses: { '201': { description: 'Created: id, token, expiresAt' } } },
    { method: 'get', path: '/admin/api-tokens', summary: 'API tokens (admin; never the token values)', tags: ['auth'], ...staffOnly, responses: { '200': { description: 'Tokens' } } },
    { method: 'delete', path: '/admin/api-tokens/{id}', summary: 'Revoke an API token (admin); takes effect at once', tags: ['auth'], ...staffOnly, responses: { '204': { description: 'Revoked' }, '404': { description: 'No such token' } } },
    { method: 'post', path: '/nonces', summary: 'A nonce for a VP sent to the direct API', tags: ['verification'], ...staffOnly, responses: { '201': { description: 'Nonce' } } },
    { method: 'post', path: '/verifications', summary: 'Verify a VC or VP JWT; returns the stored report (Dublin assessment as of `asOf`, with the source of every fact)', tags: ['verification'], ...staffOnly, body: verifyBody, responses: { '201': { description: 'Report. `dublin`: asOf and time zone; status, deadlines, missing facts; `completeChain` (policy, whether the chain qualified, the absences it established) and, when a fact rests on it, `completeChainCommitment` (the deployment commitment it rests on); `unusedAttestations`: verified absence attestations whose facts were not used, each `{ credential, type, issuerState, requestingState, reason }` with reason `issuer-not-of-requesting-state`, `issuer-state-unknown` or `requesting-state-unknown`; `asOfFixedAt` for an OpenID4VP answer. `facts`: every fact with its source' }, '400': { description: 'Not a JWT, or an asOf / declared fact that cannot be assessed (a day after today, a declared day after asOf)' } } },
    { method: 'get', path: '/reports', summary: 'List stored reports', tags: ['reports'], ...staffOnly, query: listQuery, responses: { '200': { description: 'Reports' } } },
    { method: 'get', path: '/reports/{id}', summary: 'A report as JSON or HTML (fr/de/en)', tags: ['reports'], ...staffOnly, query: reportQuery, responses: { '200': { description: 'Report' } } },
    { method: 'get', path: '/reports/{id}/export', summary: 'Download a report (JSON or HTML)', tags: ['reports'], ...staffOnly, query: reportQuery, responses: { '200': { description: 'Report file' } } },
    { method: 'get', path: '/verification-log', summary: 'The verification log (no personal data; admin)', tags: ['reports'], ...staffOnly, query: listQuery, responses: { '200': { description: 'Log' } } },
    { method: 'post', path: '/presentation-requests', summary: 'Start an OpenID4VP request (asOf — given, or today when created — and declared facts are kept with it and applied to the answer)', tags: ['openid4vp'], ...staffOnly, body: requestBody, responses: { '201': { description: 'Authorization request by reference, its expiry and the asOf day fixed for its answer' }, '400': { description: 'Invalid input, or an asOf after today' } } },
    { method: 'get', path: '/presentation-requests/{id}', summary: 'State of an OpenID4VP request', tags: ['openid4vp'], ...staffOnly, responses: { '200': { description: 'State' } } },
    { method: 'get', path: '/oid4vp/requests/{id}', summary: 'The signed request object (fetched by the wallet)', tags: ['openid4vp'], responses: { '200': { description: 'JWT', contentType: 'application/oauth-authz-req+jwt' } } },
    { method: 'post', path: '/oid4vp/response', summary: 'direct_post response endpoint; answers with a redirect (code, or an OAuth error: `invalid_request`, `access_denied`, or `server_error` when the verification failed unexpectedly — the request is then closed as failed and the error logged); failed answers are counted per client', tags: ['openid4vp'], responses: { '302': { description: 'Redirect' }, '429': { description: 'Too many failed answers from this client' } } },
    { method: 'get', path: '/trust/snapshot', summary: 'Export a signed trust snapshot (admin)', tags: ['trust'], ...staffOnly, responses: { '200': { description: 'Snapshot' } } },
    { method: 'post', path: '/trust/snapshot', summary: 'Import a signed trust snapshot (admin; air-gapped verifier)', tags: ['trust'], ...staffOnly, body: snapshotBody, responses: { '200': { description: 'Imported' } } },
  ]
}
