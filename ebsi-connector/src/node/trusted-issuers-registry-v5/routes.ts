import { handleRegistryRpc } from '../chain/registry-rpc.ts'
import { InvalidRequest, NotFound, ProxyBusy, UpstreamFailed } from '../errors.ts'
import { paged, parsePage } from '../http/pagination.ts'
import { didParam, type NodeRouter, param } from '../http/route-kit.ts'
import { OutboundError } from '../outbound/allowed-fetch.ts'
import { InFlightLimit } from '../outbound/in-flight.ts'
import { prefixProblem } from '../../core/proxy-path.ts'
import { proxiedQuery, proxiedSegments, proxyTarget } from '../outbound/proxy-target.ts'
import type { NodeContext } from '../state/context.ts'
import { ISSUER_TYPES } from '../state/trust.ts'
import { bareId, trustedIssuersRegistryRpc } from './methods.ts'
import { jwtFromBody } from './proxy-test.ts'

const BASE = '/trusted-issuers-registry/v5'

function attributeIdParam(value: string): string {
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(value))
    throw new InvalidRequest('The format of {attributeId} parameter is not valid')
  return bareId(value)
}
function proxyIdParam(value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value))
    throw new InvalidRequest('The format of {proxyId} parameter is not valid')
  return value.toLowerCase()
}

const attributeView = (row: {
  hash: string
  body: string
  issuerType: number
  tao: string
  rootTao: string
}) => ({
  hash: row.hash,
  body: row.body,
  issuerType: ISSUER_TYPES[row.issuerType] ?? 'Undefined',
  tao: row.tao,
  rootTao: row.rootTao,
})

/** Trusted Issuers Registry v5: issuers, attributes, revisions, proxies, proxy forwarding, JSON-RPC. */
export function mountTrustedIssuersRegistry(router: NodeRouter, ctx: NodeContext): void {
  const issuers = () => `${ctx.publicUrl()}${BASE}/issuers`

  router.get(`${BASE}/issuers`, async (koa) => {
    const page = parsePage(koa.query)
    const [total, rows] = await Promise.all([
      ctx.db.tirIssuer.count(),
      ctx.db.tirIssuer.findMany({
        orderBy: [{ createdAt: 'asc' }, { did: 'asc' }],
        skip: page.offset,
        take: page.size,
      }),
    ])
    koa.body = paged(
      issuers(),
      page,
      total,
      rows.map(({ did }) => ({ did, href: `${issuers()}/${did}` })),
    )
  })

  router.get(`${BASE}/issuers/:did`, async (koa) => {
    const did = didParam(koa)
    const issuer = await ctx.db.tirIssuer.findUnique({ where: { did } })
    if (!issuer) throw new NotFound(`Issuer ${did} not found`)
    const rows = await ctx.db.tirAttribute.findMany({ where: { did }, orderBy: { updatedAt: 'asc' } })
    koa.body = { did, attributes: rows.map(attributeView) }
  })

  router.get(`${BASE}/issuers/:did/attributes`, async (koa) => {
    const did = didParam(koa)
    const page = parsePage(koa.query)
    if (!(await ctx.db.tirIssuer.findUnique({ where: { did } })))
      throw new NotFound(`Issuer ${did} not found`)
    const [total, rows] = await Promise.all([
      ctx.db.tirAttribute.count({ where: { did } }),
      ctx.db.tirAttribute.findMany({
        where: { did },
        orderBy: { attributeId: 'asc' },
        skip: page.offset,
        take: page.size,
      }),
    ])
    const base = `${issuers()}/${did}/attributes`
    koa.body = paged(
      base,
      page,
      total,
      rows.map((r) => ({ id: r.attributeId, href: `${base}/${r.attributeId}` })),
    )
  })

  router.get(`${BASE}/issuers/:did/attributes/:attributeId`, async (koa) => {
    const did = didParam(koa)
    const attributeId = attributeIdParam(param(koa, 'attributeId'))
    const row = await ctx.db.tirAttribute.findUnique({ where: { did_attributeId: { did, attributeId } } })
    if (!row) throw new NotFound('Attribute not found')
    koa.body = { did, attribute: attributeView(row) }
  })

  router.get(`${BASE}/issuers/:did/attributes/:attributeId/revisions`, async (koa) => {
    const did = didParam(koa)
    const attributeId = attributeIdParam(param(koa, 'attributeId'))
    const page = parsePage(koa.query)
    const where = { did, attributeId }
    const [total, rows] = await Promise.all([
      ctx.db.tirAttributeRevision.count({ where }),
      ctx.db.tirAttributeRevision.findMany({
        where,
        orderBy: { id: 'desc' },
        skip: page.offset,
        take: page.size,
      }),
    ])
    if (total === 0) throw new NotFound('Attribute not found')
    koa.body = paged(
      `${issuers()}/${did}/attributes/${attributeId}/revisions`,
      page,
      total,
      rows.map(attributeView),
    )
  })

  router.get(`${BASE}/issuers/:did/proxies`, async (koa) => {
    const did = didParam(koa)
    if (!(await ctx.db.tirIssuer.findUnique({ where: { did } })))
      throw new NotFound(`Issuer ${did} not found`)
    const rows = await ctx.db.tirProxy.findMany({ where: { did }, orderBy: { proxyId: 'asc' }, take: 50 })
    koa.body = {
      items: rows.map((r) => ({ proxyId: r.proxyId, href: `${issuers()}/${did}/proxies/${r.proxyId}` })),
      total: rows.length,
    }
  })

  router.get(`${BASE}/issuers/:did/proxies/:proxyId`, async (koa) => {
    const row = await proxyOf(ctx, didParam(koa), proxyIdParam(param(koa, 'proxyId')))
    koa.body = {
      prefix: row.prefix,
      headers: JSON.parse(row.headers) as Record<string, string>,
      testSuffix: row.testSuffix,
    }
  })

  // Forwarding: only under the proxy's prefix (checked before anything leaves), never back into a
  // ledger, a bounded number at once per proxy, the body read up to the cap.
  const inFlight = new InFlightLimit(ctx.config.proxyConcurrency)
  router.get(`${BASE}/issuers/:did/proxies/:proxyId/*path`, async (koa) => {
    const did = didParam(koa)
    const proxyId = proxyIdParam(param(koa, 'proxyId'))
    const segments = proxiedSegments(param(koa, 'path'))
    const query = proxiedQuery(koa.querystring)
    const row = await proxyOf(ctx, did, proxyId)
    const prefixIssue = prefixProblem(row.prefix)
    if (prefixIssue) throw new UpstreamFailed(`the issuer proxy's prefix ${prefixIssue}`)
    const target = proxyTarget(row.prefix, segments, query)
    const release = inFlight.acquire(`${did} ${proxyId}`)
    if (!release) throw new ProxyBusy('the issuer proxy has too many requests in flight; try again later')
    // A client that goes away takes its outbound request with it.
    const gone = new AbortController()
    koa.res.once('close', () => gone.abort())
    let answer: Awaited<ReturnType<NodeContext['fetch']>>
    try {
      answer = await ctx.fetch(target, {
        headers: JSON.parse(row.headers) as Record<string, string>,
        signal: gone.signal,
      })
    } catch (error) {
      if (error instanceof OutboundError)
        throw new UpstreamFailed(`the issuer proxy failed: ${error.message}`)
      throw error
    } finally {
      release()
    }
    if (answer.status === 404) throw new NotFound('the issuer proxy has no such resource')
    if (answer.status !== 200) throw new UpstreamFailed(`the issuer proxy answered ${answer.status}`)
    const jwt = jwtFromBody(answer.text)
    if (!jwt) throw new UpstreamFailed('the issuer proxy did not return a JWT')
    koa.type = 'application/json'
    koa.body = JSON.stringify(jwt)
  })

  router.post(`${BASE}/jsonrpc`, async (koa) => {
    koa.body = await handleRegistryRpc(
      ctx,
      trustedIssuersRegistryRpc,
      koa.get('authorization') || undefined,
      koa.request.body,
    )
  })
}

async function proxyOf(ctx: NodeContext, did: string, proxyId: string) {
  const row = await ctx.db.tirProxy.findUnique({ where: { did_proxyId: { did, proxyId } } })
  if (!row) throw new NotFound('Proxy not found')
  return row
}
