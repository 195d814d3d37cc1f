import Router from '@koa/router'
import type { OperationSpec } from '@flora/service-kit'
import {
  clearBrowserCookie,
  parseInput,
  refuseForeignOrigin,
  requestClient,
  setBrowserCookie,
} from '@flora/service-kit'
import type { Context } from 'koa'
import { z } from 'zod'
import { anchoringStatus } from '../oid4vci/protocol.ts'
import {
  exchangePreAuthorizedCode,
  issueNonce,
  requestCredential,
  requestDeferredCredential,
} from '../oid4vci/protocol.ts'
import {
  authorizationServerMetadata,
  credentialIssuerMetadata,
  credentialOffers,
  type Profile,
} from '../oid4vci/profiles.ts'
import { UnknownPreAuthorizedCode } from '../errors.ts'
import { readAudit } from '../services/audit.ts'
import * as auth from '../services/auth.ts'
import { getAuthority, listAuthoritiesForSignIn } from '../services/authorities.ts'
import * as cases from '../services/cases.ts'
import type { IssuerContext } from '../services/context.ts'
import * as milestones from '../services/milestones.ts'
import * as monitor from '../services/monitor.ts'
import { signedStatusList } from '../services/status-lists.ts'
import { allowedOrigins, DEVICE_COOKIE, principalOf, sessionCookie } from './authenticate.ts'
import { mountDeploymentRoutes } from './deployment-routes.ts'
import * as schemas from './schemas.ts'

const bearer: Record<string, string[]>[] = [{ apiToken: [] }, { session: [] }]

/** Every endpoint of the issuer, one line each (plus its OpenAPI description). */
export function issuerRoutes(issuer: IssuerContext): { router: Router; operations: OperationSpec[] } {
  const router = new Router()
  const operations: OperationSpec[] = []
  const publicUrl = issuer.config.FLORA_ISSUER_PUBLIC_URL
  const SESSION_COOKIE = sessionCookie(issuer)
  const txCodeLimits = issuer.config.FLORA_ISSUER_TX_CODE_THROTTLE
  /** Unknown pre-authorised codes per client (see the token endpoint). */
  const unknownCodes = {
    name: 'tx-code-unknown',
    limit: txCodeLimits.client,
    windowSeconds: txCodeLimits.window,
  }
  const who = (ctx: Context) => principalOf(issuer, ctx)
  const idempotencyKey = (ctx: Context) => {
    const key = ctx.get('idempotency-key')
    if (key && !/^[\w.:-]{1,128}$/.test(key))
      throw Object.assign(new Error('Idempotency-Key must be 1–128 characters [A-Za-z0-9_.:-]'), {
        status: 400,
      })
    return key || undefined
  }
  const withOffer = (authorityId: string, body: Record<string, unknown>) => ({
    ...body,
    ...credentialOffers({
      publicUrl,
      authorityId,
      milestoneId: String(body.milestoneId),
      type: String(body.type),
      secret: issuer.secret,
    }),
  })

  // --- sessions and administration
  operations.push({
    method: 'post',
    path: '/session',
    summary:
      'Log in at an authority (`authorityId`, see GET /authorities; usernames are unique per authority). Sets the httpOnly session cookie and a device cookie. Throttled per client and account: 429 with Retry-After',
    tags: ['staff'],
    body: schemas.loginBody,
    responses: {
      '201': { description: 'Logged in' },
      '400': { description: 'Input invalid (e.g. no authorityId)' },
      '401': { description: 'Wrong authority, username or password (one answer for all)' },
      '429': { description: 'Too many attempts; Retry-After says when to try again' },
    },
  })
  router.post('/session', async (ctx) => {
    refuseForeignOrigin(ctx, allowedOrigins(issuer))
    const body = parseInput(schemas.loginBody, ctx.request.body, 'body')
    const session = await auth.login(issuer, {
      ...body,
      client: requestClient(ctx, issuer.config.FLORA_ISSUER_TRUSTED_PROXIES),
      deviceToken: ctx.cookies.get(DEVICE_COOKIE),
    })
    setBrowserCookie(ctx, SESSION_COOKIE, session.token, { publicUrl, expires: session.expiresAt })
    setBrowserCookie(ctx, DEVICE_COOKIE, session.device.token, {
      publicUrl,
      expires: session.device.expires,
      path: '/session',
    })
    ctx.status = 201
    ctx.body = {
      authorityId: session.principal.authorityId,
      role: session.principal.role,
      expiresAt: session.expiresAt.toISOString(),
    }
  })
  operations.push({
    method: 'get',
    path: '/authorities',
    summary:
      'The authorities staff sign in at: public id and name of each, sorted by name (what a sign-in form offers)',
    tags: ['staff'],
    responses: { '200': { description: '{ items: [{ id, name }] }' } },
  })
  router.get('/authorities', async (ctx) => {
    ctx.body = { items: await listAuthoritiesForSignIn(issuer) }
  })
  operations.push({
    method: 'delete',
    path: '/session',
    summary: 'Log out (with the session cookie: from an allowed Origin)',
    tags: ['staff'],
    security: bearer,
    responses: { '204': { description: 'Logged out' } },
  })
  router.delete('/session', async (ctx) => {
    const principal = await who(ctx)
    const token = ctx.cookies.get(SESSION_COOKIE)
    if (token) await auth.logout(issuer, principal, token)
    clearBrowserCookie(ctx, SESSION_COOKIE, { publicUrl })
    ctx.status = 204
  })
  operations.push({
    method: 'get',
    path: '/me',
    summary: 'The authenticated principal',
    tags: ['staff'],
    security: bearer,
    responses: { '200': { description: 'Principal' } },
  })
  router.get('/me', async (ctx) => {
    ctx.body = await who(ctx)
  })
  operations.push({
    method: 'post',
    path: '/admin/staff',
    summary: 'Add a staff account to the admin’s authority',
    tags: ['admin'],
    security: bearer,
    body: schemas.createStaffBody,
    responses: { '201': { description: 'Created' } },
  })
  router.post('/admin/staff', async (ctx) => {
    const by = await who(ctx)
    const body = parseInput(schemas.createStaffBody, ctx.request.body, 'body')
    ctx.status = 201
    ctx.body = await auth.createStaffAccount(issuer, by, { ...body, authorityId: by.authorityId })
  })
  operations.push({
    method: 'get',
    path: '/admin/staff',
    summary: 'Staff accounts of the admin’s authority',
    tags: ['admin'],
    security: bearer,
    responses: { '200': { description: 'Accounts' } },
  })
  router.get('/admin/staff', async (ctx) => {
    ctx.body = { items: await auth.listStaff(issuer, await who(ctx)) }
  })
  operations.push({
    method: 'delete',
    path: '/admin/staff/{staffId}',
    summary: 'Disable a staff account',
    tags: ['admin'],
    security: bearer,
    responses: { '204': { description: 'Disabled' } },
  })
  router.delete('/admin/staff/:staffId', async (ctx) => {
    await auth.disableStaff(issuer, await who(ctx), ctx.params.staffId!)
    ctx.status = 204
  })
  operations.push({
    method: 'post',
    path: '/admin/api-tokens',
    summary: 'Create an API token for a system (shown once)',
    tags: ['admin'],
    security: bearer,
    body: schemas.createApiTokenBody,
    responses: { '201': { description: 'Token' } },
  })
  router.post('/admin/api-tokens', async (ctx) => {
    const by = await who(ctx)
    const body = parseInput(schemas.createApiTokenBody, ctx.request.body, 'body')
    ctx.status = 201
    ctx.set('cache-control', 'no-store')
    ctx.body = await auth.createApiToken(issuer, by, { ...body, authorityId: by.authorityId })
  })
  operations.push({
    method: 'get',
    path: '/admin/api-tokens',
    summary: 'API tokens of the authority (never the token values)',
    tags: ['admin'],
    security: bearer,
    responses: { '200': { description: 'Tokens' } },
  })
  router.get('/admin/api-tokens', async (ctx) => {
    ctx.body = { items: await auth.listApiTokens(issuer, await who(ctx)) }
  })
  operations.push({
    method: 'delete',
    path: '/admin/api-tokens/{tokenId}',
    summary: 'Revoke an API token',
    tags: ['admin'],
    security: bearer,
    responses: { '204': { description: 'Revoked' } },
  })
  router.delete('/admin/api-tokens/:tokenId', async (ctx) => {
    await auth.revokeApiToken(issuer, await who(ctx), ctx.params.tokenId!)
    ctx.status = 204
  })
  operations.push({
    method: 'get',
    path: '/admin/audit',
    summary: 'Audit log of the authority (admins)',
    tags: ['admin'],
    security: bearer,
    query: schemas.auditQuery,
    responses: { '200': { description: 'Events, newest first' } },
  })
  router.get('/admin/audit', async (ctx) => {
    const by = await who(ctx)
    auth.requireAdmin(by)
    const query = parseInput(schemas.auditQuery, ctx.query, 'query')
    ctx.body = { items: await readAudit(issuer.db, by.authorityId, query) }
  })

  // --- cases and milestones
  operations.push({
    method: 'post',
    path: '/cases',
    summary: 'Open a case for a holder did:key',
    tags: ['cases'],
    security: bearer,
    body: schemas.openCaseBody,
    responses: { '201': { description: 'Case' } },
  })
  router.post('/cases', async (ctx) => {
    const body = parseInput(schemas.openCaseBody, ctx.request.body, 'body')
    ctx.status = 201
    ctx.body = await cases.openCase(issuer, await who(ctx), body)
  })
  operations.push({
    method: 'get',
    path: '/cases',
    summary: "The cases the caller's authority holds a grant for, newest grant first",
    tags: ['cases'],
    security: bearer,
    query: schemas.listCasesQuery,
    responses: { '200': { description: 'A page of cases; `next` when there are more' } },
  })
  router.get('/cases', async (ctx) => {
    const query = parseInput(schemas.listCasesQuery, ctx.query, 'query')
    ctx.body = await cases.listCases(issuer, await who(ctx), query)
  })
  operations.push({
    method: 'get',
    path: '/cases/{caseId}',
    summary: 'A case (404 without a grant)',
    tags: ['cases'],
    security: bearer,
    responses: { '200': { description: 'Case' } },
  })
  router.get('/cases/:caseId', async (ctx) => {
    ctx.body = await cases.readCase(issuer, await who(ctx), ctx.params.caseId!)
  })
  operations.push({
    method: 'post',
    path: '/cases/{caseId}/grants',
    summary: 'Grant another authority access (opening authority only)',
    tags: ['cases'],
    security: bearer,
    body: schemas.grantBody,
    responses: { '201': { description: 'Granted' } },
  })
  router.post('/cases/:caseId/grants', async (ctx) => {
    const body = parseInput(schemas.grantBody, ctx.request.body, 'body')
    ctx.status = 201
    ctx.body = await cases.grantCase(issuer, await who(ctx), ctx.params.caseId!, body.authorityId)
  })
  operations.push({
    method: 'post',
    path: '/cases/{caseId}/milestones',
    summary: 'Record a milestone → OpenID4VCI offer (Idempotency-Key header supported)',
    tags: ['milestones'],
    security: bearer,
    body: schemas.recordMilestoneBody,
    responses: { '201': { description: 'Offer', schema: schemas.milestoneOfferResponse } },
  })
  router.post('/cases/:caseId/milestones', async (ctx) => {
    const by = await who(ctx)
    const body = parseInput(schemas.recordMilestoneBody, ctx.request.body, 'body')
    const result = await milestones.recordMilestone(
      issuer,
      by,
      { ...body, caseId: ctx.params.caseId!, claims: body.claims as Record<string, unknown> },
      idempotencyKey(ctx),
    )
    if (result.replayed) ctx.set('idempotent-replayed', 'true')
    ctx.status = result.status
    ctx.set('cache-control', 'no-store')
    ctx.body = withOffer(by.authorityId, result.body)
  })
  operations.push({
    method: 'get',
    path: '/cases/{caseId}/milestones',
    summary: 'Milestones of a case (grant-checked)',
    tags: ['milestones'],
    security: bearer,
    responses: {
      '200': { description: 'Milestones', schema: z.object({ items: z.array(schemas.milestoneView) }) },
    },
  })
  router.get('/cases/:caseId/milestones', async (ctx) => {
    ctx.body = { items: await milestones.listMilestones(issuer, await who(ctx), ctx.params.caseId!) }
  })
  operations.push({
    method: 'get',
    path: '/milestones/{milestoneId}',
    summary: 'One milestone (grant-checked), with its signed credential while that is kept for re-delivery',
    tags: ['milestones'],
    security: bearer,
    responses: { '200': { description: 'Milestone' } },
  })
  router.get('/milestones/:milestoneId', async (ctx) => {
    ctx.body = await milestones.readMilestone(issuer, await who(ctx), ctx.params.milestoneId!)
  })
  for (const action of ['revoke', 'suspend', 'unsuspend'] as const) {
    operations.push({
      method: 'post',
      path: `/milestones/{milestoneId}/${action}`,
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} a credential (issuing authority only; revocation is final)`,
      tags: ['status'],
      security: bearer,
      responses: { '200': { description: 'New state' } },
    })
    router.post(`/milestones/:milestoneId/${action}`, async (ctx) => {
      const by = await who(ctx)
      ctx.body =
        action === 'revoke'
          ? await milestones.revokeMilestone(issuer, by, ctx.params.milestoneId!)
          : await milestones.setSuspended(issuer, by, ctx.params.milestoneId!, action === 'suspend')
    })
  }
  operations.push({
    method: 'post',
    path: '/milestones/{milestoneId}/corrections',
    summary: 'Correct: revoke and offer a re-issue with `supersedes`',
    tags: ['milestones'],
    security: bearer,
    body: schemas.correctMilestoneBody,
    responses: {
      '201': { description: 'Offer of the corrected credential', schema: schemas.milestoneOfferResponse },
    },
  })
  router.post('/milestones/:milestoneId/corrections', async (ctx) => {
    const by = await who(ctx)
    const body = parseInput(schemas.correctMilestoneBody, ctx.request.body, 'body')
    const result = await milestones.correctMilestone(
      issuer,
      by,
      ctx.params.milestoneId!,
      { ...body, claims: body.claims as Record<string, unknown> },
      idempotencyKey(ctx),
    )
    ctx.status = result.status
    ctx.set('cache-control', 'no-store')
    ctx.body = withOffer(by.authorityId, result.body)
  })

  // --- deadline monitor and its calendar feeds
  operations.push({
    method: 'get',
    path: '/monitor/deadlines',
    summary:
      "The Dublin deadlines of the cases the caller's authority holds, from their recorded milestones, as of today in FLORA_ISSUER_TIME_ZONE: per case the first open deadline (a recently passed one flagged overdue, else the next) with days left, rule set, status and article; cases that cannot be assessed are listed with the reason. Throttled per authority (429 with Retry-After)",
    tags: ['monitor'],
    security: bearer,
    query: schemas.deadlinesQuery,
    responses: {
      '200': { description: '{ asOf, timeZone, total, items, nextOffset? }' },
      '400': { description: 'Query invalid (problem+json)' },
      '429': {
        description: 'Too many calls of this authority (FLORA_ISSUER_DEADLINES_THROTTLE); Retry-After',
      },
    },
  })
  // Each call that misses the monitor's cache assesses every case of the authority: bounded per
  // authority (all its staff and systems share one budget), counted in the database like the feed.
  const deadlinesLimits = issuer.config.FLORA_ISSUER_DEADLINES_THROTTLE
  const deadlinesRule = {
    name: 'monitor-deadlines',
    limit: deadlinesLimits.authority,
    windowSeconds: deadlinesLimits.window,
  }
  router.get('/monitor/deadlines', async (ctx) => {
    const by = await who(ctx)
    const query = parseInput(schemas.deadlinesQuery, ctx.query, 'query')
    await issuer.throttle.reserve([{ rule: deadlinesRule, subject: by.authorityId }])
    ctx.set('cache-control', 'no-store')
    ctx.body = await monitor.listDeadlines(issuer, by, query)
  })
  operations.push({
    method: 'post',
    path: '/monitor/calendar-feeds',
    summary:
      'Create an iCalendar feed of the authority’s upcoming deadlines: a capability URL (256-bit token, shown only in this answer, stored as its hash). The feed is served only while its creator (staff account or API token) has access, and for FLORA_ISSUER_CALENDAR_FEED_DAYS; disabling the account or revoking the token revokes it',
    tags: ['monitor'],
    security: bearer,
    responses: {
      '201': {
        description:
          "{ id, url, createdAt, createdBy: { type, id, name }, expiresAt, revokedAt: null, state: 'active' }",
      },
    },
  })
  router.post('/monitor/calendar-feeds', async (ctx) => {
    const by = await who(ctx)
    ctx.status = 201
    ctx.set('cache-control', 'no-store')
    ctx.body = await monitor.createCalendarFeed(issuer, by)
  })
  operations.push({
    method: 'get',
    path: '/monitor/calendar-feeds',
    summary:
      'The authority’s calendar feeds (never their URLs): who created each, until when it runs, and whether it is served (state active | revoked | expired | creator-inactive)',
    tags: ['monitor'],
    security: bearer,
    responses: {
      '200': {
        description:
          '{ items: [{ id, createdAt, createdBy: { type, id, name } | null, expiresAt, revokedAt, state }] }',
      },
    },
  })
  router.get('/monitor/calendar-feeds', async (ctx) => {
    ctx.body = { items: await monitor.listCalendarFeeds(issuer, await who(ctx)) }
  })
  operations.push({
    method: 'delete',
    path: '/monitor/calendar-feeds/{feedId}',
    summary:
      'Revoke a calendar feed (final; its URL answers 404 from then on). Another authority’s feed: 404',
    tags: ['monitor'],
    security: bearer,
    responses: {
      '204': { description: 'Revoked' },
      '404': { description: 'No such feed of this authority' },
    },
  })
  router.delete('/monitor/calendar-feeds/:feedId', async (ctx) => {
    await monitor.revokeCalendarFeed(issuer, await who(ctx), ctx.params.feedId!)
    ctx.status = 204
  })
  const calendarLimits = issuer.config.FLORA_ISSUER_CALENDAR_THROTTLE
  const calendarRule = {
    name: 'calendar-feed',
    limit: calendarLimits.client,
    windowSeconds: calendarLimits.window,
  }
  operations.push({
    method: 'get',
    path: '/monitor/calendar/{token}.ics',
    summary:
      'The iCalendar feed (RFC 5545) of a capability URL: one all-day event per upcoming deadline, with kind, rule set, article and case link, nothing personal. No session; throttled per client (429 with Retry-After)',
    tags: ['monitor'],
    responses: {
      '200': { description: 'text/calendar', contentType: 'text/calendar', schema: z.string() },
      '404': { description: 'Unknown, revoked or expired feed, or its creator no longer has access' },
      '429': { description: 'Too many downloads from this client' },
    },
  })
  router.get('/monitor/calendar/:file', async (ctx) => {
    await issuer.throttle.reserve([
      { rule: calendarRule, subject: requestClient(ctx, issuer.config.FLORA_ISSUER_TRUSTED_PROXIES) },
    ])
    const file = ctx.params.file!
    const token = file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : ''
    const feed = await monitor.feedAuthority(issuer, token)
    ctx.body = await monitor.calendarOf(issuer, feed.authorityId)
    ctx.type = 'text/calendar; charset=utf-8'
    // a capability URL: no shared cache may keep it, and it must not leak through the Referer
    ctx.set('cache-control', 'private, no-cache')
    ctx.set('referrer-policy', 'no-referrer')
  })

  // --- status lists (reached through the TIR proxy) and anchoring proofs
  operations.push({
    method: 'get',
    path: '/authorities/{authorityId}/status-lists/{purpose}/{number}',
    summary: 'Signed StatusList2021Credential (JWT), the target of the TIR proxy',
    tags: ['status'],
    responses: { '200': { description: 'JWT', contentType: 'application/jwt', schema: z.string() } },
  })
  router.get('/authorities/:authorityId/status-lists/:purpose/:number', async (ctx) => {
    const number = Number(ctx.params.number)
    if (!Number.isInteger(number) || number < 1)
      throw Object.assign(new Error('status list not found'), { status: 404 })
    ctx.body = await signedStatusList(issuer, ctx.params.authorityId!, ctx.params.purpose!, number)
    ctx.type = 'application/jwt'
    ctx.set('cache-control', 'no-cache')
  })
  operations.push({
    method: 'get',
    path: '/anchoring/proofs/{credentialId}',
    summary: 'Inclusion proof of a credential (pending until its batch is anchored)',
    tags: ['anchoring'],
    responses: { '200': { description: 'Anchored with proof' }, '202': { description: 'Pending' } },
  })
  router.get('/anchoring/proofs/:credentialId', async (ctx) => {
    const status = await anchoringStatus(issuer, ctx.params.credentialId!)
    if (!status) throw Object.assign(new Error('credential not found'), { status: 404 })
    ctx.status = status.state === 'pending' ? 202 : 200
    ctx.body = status
  })

  // --- OpenID4VCI, two profiles per authority
  const profiles: { profile: Profile; base: string }[] = [
    { profile: 'ebsi-v3', base: '/authorities/:authorityId' },
    { profile: 'v1', base: '/authorities/:authorityId/v1' },
  ]
  for (const { profile, base } of profiles) {
    const openapiBase = base.replace(':authorityId', '{authorityId}')
    const issuerMeta = async (ctx: Context) => {
      const authority = await getAuthority(issuer, ctx.params.authorityId!)
      ctx.body = credentialIssuerMetadata({
        publicUrl,
        authorityId: authority.id,
        authorityName: authority.name,
        role: authority.role,
        profile,
        trustFrameworkUri: authority.attributeUrl ?? undefined,
      })
    }
    const asMeta = async (ctx: Context) => {
      await getAuthority(issuer, ctx.params.authorityId!)
      ctx.body = authorizationServerMetadata({ publicUrl, authorityId: ctx.params.authorityId!, profile })
    }
    const wellKnownSuffix = base.replace('/authorities/:authorityId', '/authorities/:authorityId')
    router.get(`${base}/.well-known/openid-credential-issuer`, issuerMeta)
    router.get(`/.well-known/openid-credential-issuer${wellKnownSuffix}`, issuerMeta)
    router.get(`${base}/.well-known/openid-configuration`, asMeta)
    router.get(`${base}/.well-known/oauth-authorization-server`, asMeta)
    router.get(`/.well-known/oauth-authorization-server${wellKnownSuffix}`, asMeta)
    router.get(`/.well-known/openid-configuration${wellKnownSuffix}`, asMeta)
    operations.push({
      method: 'get',
      path: `${openapiBase}/.well-known/openid-credential-issuer`,
      summary: `Credential issuer metadata (${profile})`,
      tags: ['openid4vci'],
      responses: { '200': { description: 'Metadata' } },
    })
    operations.push({
      method: 'post',
      path: `${openapiBase}/token`,
      summary: `Token endpoint, pre-authorised code + ${profile === 'v1' ? 'tx_code' : 'user_pin'} (${profile}). Unknown codes are counted per client: 429 with Retry-After past FLORA_ISSUER_TX_CODE_THROTTLE`,
      tags: ['openid4vci'],
      responses: { '200': { description: 'Access token' } },
    })
    router.post(`${base}/token`, async (ctx) => {
      ctx.set('cache-control', 'no-store')
      // Per client, only unknown pre-authorised codes count (probing): one atomic count each, 429
      // past the limit. A real offer is always looked at, whoever brings it: the wallet server is
      // one client for every case wallet it runs, and must not be stopped by one clerk's bogus
      // pastes. Wrong transaction codes of a real offer are bounded by the offer's own count.
      try {
        ctx.body = await exchangePreAuthorizedCode(
          issuer,
          ctx.params.authorityId!,
          profile,
          (ctx.request.body ?? {}) as Record<string, unknown>,
        )
      } catch (error) {
        if (error instanceof UnknownPreAuthorizedCode)
          await issuer.throttle.reserve([
            { rule: unknownCodes, subject: requestClient(ctx, issuer.config.FLORA_ISSUER_TRUSTED_PROXIES) },
          ])
        throw error
      }
    })
    operations.push({
      method: 'post',
      path: `${openapiBase}/credential`,
      summary: `Credential endpoint, proof JWT bound to the case holder (${profile})`,
      tags: ['openid4vci'],
      responses: { '200': { description: 'Credential' } },
    })
    router.post(`${base}/credential`, async (ctx) => {
      ctx.set('cache-control', 'no-store')
      ctx.body = await requestCredential(
        issuer,
        ctx.params.authorityId!,
        profile,
        ctx.get('authorization') || undefined,
        (ctx.request.body ?? {}) as Record<string, unknown>,
      )
    })
  }
  operations.push({
    method: 'post',
    path: '/authorities/{authorityId}/credential_deferred',
    summary: 'Deferred credential (EBSI v3, acceptance_token); delivered once anchored',
    tags: ['openid4vci'],
    responses: { '200': { description: 'Credential with inclusion proof' } },
  })
  router.post('/authorities/:authorityId/credential_deferred', async (ctx) => {
    ctx.set('cache-control', 'no-store')
    ctx.body = await requestDeferredCredential(
      issuer,
      ctx.params.authorityId!,
      ctx.get('authorization') || undefined,
      (ctx.request.body ?? {}) as Record<string, unknown>,
    )
  })
  operations.push({
    method: 'post',
    path: '/authorities/{authorityId}/v1/nonce',
    summary: 'Nonce endpoint (OpenID4VCI 1.0)',
    tags: ['openid4vci'],
    responses: { '200': { description: 'c_nonce' } },
  })
  router.post('/authorities/:authorityId/v1/nonce', async (ctx) => {
    await getAuthority(issuer, ctx.params.authorityId!)
    ctx.set('cache-control', 'no-store')
    ctx.body = issueNonce(issuer)
  })

  // --- deployment administration: onboarding of tenants and the anchoring identity
  operations.push(...mountDeploymentRoutes(issuer, router))
  return { router, operations }
}
