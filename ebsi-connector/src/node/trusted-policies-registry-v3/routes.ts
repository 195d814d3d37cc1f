import { normalizeAddress } from '../../core/index.ts'
import { InvalidRequest, NotFound } from '../errors.ts'
import { paged, parsePage } from '../http/pagination.ts'
import { type NodeRouter, param } from '../http/route-kit.ts'
import type { NodeContext } from '../state/context.ts'

const BASE = '/trusted-policies-registry/v3'

/**
 * Trusted Policies Registry v3 (reads): users with attributes such as TIR:setAttributeMetadata,
 * by which EBSI's verification library recognises the self-attesting trust root; policies.
 */
export function mountTrustedPoliciesRegistry(router: NodeRouter, ctx: NodeContext): void {
  const url = (path: string) => `${ctx.publicUrl()}${BASE}${path}`

  router.get(`${BASE}/users`, async (koa) => {
    const page = parsePage(koa.query)
    const [total, rows] = await Promise.all([
      ctx.db.tprUser.count(),
      ctx.db.tprUser.findMany({ orderBy: { address: 'asc' }, skip: page.offset, take: page.size }),
    ])
    koa.body = paged(
      url('/users'),
      page,
      total,
      rows.map((r) => ({ address: r.address, href: url(`/users/${r.address}`) })),
    )
  })

  router.get(`${BASE}/users/:address`, async (koa) => {
    const address = normalizeAddress(param(koa, 'address'))
    if (!address) throw new InvalidRequest('The format of {address} parameter is not valid')
    const row = await ctx.db.tprUser.findUnique({ where: { address } })
    if (!row) throw new NotFound('User not found')
    koa.body = { address: row.address, attributes: JSON.parse(row.attributes) as Record<string, unknown> }
  })

  router.get(`${BASE}/policies`, async (koa) => {
    const page = parsePage(koa.query)
    const [total, rows] = await Promise.all([
      ctx.db.tprPolicy.count(),
      ctx.db.tprPolicy.findMany({ orderBy: { policyId: 'asc' }, skip: page.offset, take: page.size }),
    ])
    koa.body = paged(
      url('/policies'),
      page,
      total,
      rows.map((r) => ({
        policyName: r.policyName,
        href: url(`/policies/${encodeURIComponent(r.policyName)}`),
      })),
    )
  })

  router.get(`${BASE}/policies/:policyName`, async (koa) => {
    const name = param(koa, 'policyName')
    if (name.length > 200) throw new InvalidRequest('The format of {policyName} parameter is not valid')
    const row = await ctx.db.tprPolicy.findUnique({ where: { policyName: name } })
    if (!row) throw new NotFound('Policy not found')
    koa.body = {
      policyId: String(row.policyId),
      description: row.description,
      policyName: row.policyName,
      operationType: row.operationType,
      status: row.status,
      policyConditions: JSON.parse(row.conditions) as unknown[],
    }
  })
}
