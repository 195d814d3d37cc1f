import { getAddress } from 'ethers'
import { isDidEbsi, normalizeAddress } from '../../core/index.ts'
import { InvalidRequest, NotFound } from '../errors.ts'
import { jsonRpcResult, parseJsonRpc } from '../http/jsonrpc.ts'
import { paged, parsePage } from '../http/pagination.ts'
import { didParam, type NodeRouter, queryString, validAtParam } from '../http/route-kit.ts'
import { handleRegistryRpc } from '../chain/registry-rpc.ts'
import type { NodeContext } from '../state/context.ts'
import { isControlledBy } from '../state/trust.ts'
import { didRegistryRpc } from './methods.ts'
import { renderDidDocument } from './state.ts'

const BASE = '/did-registry/v5'

/** DID Registry v5: list, resolve (with valid-at), actions/checkController, JSON-RPC. */
export function mountDidRegistry(router: NodeRouter, ctx: NodeContext): void {
  router.get(`${BASE}/identifiers`, async (koa) => {
    const page = parsePage(koa.query)
    const controller = queryString(koa, 'controller')
    let where: Record<string, unknown> = {}
    if (controller !== undefined) {
      const address = normalizeAddress(controller)
      if (address) {
        const rows = await ctx.db.didVerificationMethod.findMany({
          where: { ethereumAddress: address },
          select: { did: true },
        })
        where = { did: { in: [...new Set(rows.map((r) => r.did))] } }
      } else if (isDidEbsi(controller)) {
        where = { OR: [{ did: controller }, { controllers: { contains: `"${controller}"` } }] }
      } else throw new InvalidRequest('"controller" must be a DID or an address')
    }
    const [total, rows] = await Promise.all([
      ctx.db.didDocument.count({ where }),
      ctx.db.didDocument.findMany({
        where,
        orderBy: [{ createdBlock: 'asc' }, { did: 'asc' }],
        skip: page.offset,
        take: page.size,
        select: { did: true },
      }),
    ])
    const base = `${ctx.publicUrl()}${BASE}/identifiers`
    koa.body = paged(
      base,
      page,
      total,
      rows.map(({ did }) => ({ did, href: `${base}/${did}` })),
      controller ? { controller } : {},
    )
  })

  router.get(`${BASE}/identifiers/:did`, async (koa) => {
    const did = didParam(koa)
    const validAt = validAtParam(koa)
    const state = await ctx.dids.at(did, validAt)
    if (!state) throw new NotFound(`DID ${did} not found`)
    koa.type = 'application/did+ld+json'
    koa.body = renderDidDocument(state, validAt ?? ctx.now())
  })

  router.post(`${BASE}/identifiers/:did/actions`, async (koa) => {
    const did = didParam(koa)
    const request = parseJsonRpc(koa.request.body)
    if (request.method !== 'checkController')
      throw new InvalidRequest(`method ${request.method} is not supported`)
    const address = normalizeAddress(request.params[0])
    if (request.params.length !== 1 || !address)
      throw new InvalidRequest('"params" must be [<Ethereum address>]')
    koa.body = jsonRpcResult(request.id, await isControlledBy(ctx, did, getAddress(address)))
  })

  router.post(`${BASE}/jsonrpc`, async (koa) => {
    koa.body = await handleRegistryRpc(
      ctx,
      didRegistryRpc,
      koa.get('authorization') || undefined,
      koa.request.body,
    )
  })
}
