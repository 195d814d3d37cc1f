import { handleRegistryRpc } from '../chain/registry-rpc.ts'
import { InvalidRequest, NotFound } from '../errors.ts'
import { paged, parsePage } from '../http/pagination.ts'
import { type NodeRouter, param } from '../http/route-kit.ts'
import type { NodeContext } from '../state/context.ts'
import { timestampRpc } from './methods.ts'

const BASE = '/timestamp/v4'

/** Timestamp v4: hash algorithms, timestamps, JSON-RPC timestampHashes. */
export function mountTimestamp(router: NodeRouter, ctx: NodeContext): void {
  const url = (path: string) => `${ctx.publicUrl()}${BASE}${path}`

  router.get(`${BASE}/hash-algorithms`, async (koa) => {
    const page = parsePage(koa.query)
    const [total, rows] = await Promise.all([
      ctx.db.tsHashAlgorithm.count(),
      ctx.db.tsHashAlgorithm.findMany({
        orderBy: { hashAlgorithmId: 'asc' },
        skip: page.offset,
        take: page.size,
      }),
    ])
    koa.body = paged(
      url('/hash-algorithms'),
      page,
      total,
      rows.map((r) => ({
        hashAlgorithmId: r.hashAlgorithmId,
        href: url(`/hash-algorithms/${r.hashAlgorithmId}`),
      })),
    )
  })

  router.get(`${BASE}/hash-algorithms/:id`, async (koa) => {
    const raw = param(koa, 'id')
    if (!/^[0-9]{1,6}$/.test(raw))
      throw new InvalidRequest('The format of {hashAlgorithmId} parameter is not valid')
    const row = await ctx.db.tsHashAlgorithm.findUnique({ where: { hashAlgorithmId: Number(raw) } })
    if (!row) throw new NotFound('Hash algorithm not found')
    koa.body = {
      outputLengthBits: row.outputLengthBits,
      ianaName: row.ianaName,
      oid: row.oid,
      status: row.status,
      multihash: row.multihash,
    }
  })

  router.get(`${BASE}/timestamps`, async (koa) => {
    const page = parsePage(koa.query)
    const [total, rows] = await Promise.all([
      ctx.db.tsTimestamp.count(),
      ctx.db.tsTimestamp.findMany({
        orderBy: [{ blockNumber: 'asc' }, { timestampId: 'asc' }],
        skip: page.offset,
        take: page.size,
        select: { timestampId: true },
      }),
    ])
    koa.body = paged(
      url('/timestamps'),
      page,
      total,
      rows.map((r) => ({ timestampId: r.timestampId, href: url(`/timestamps/${r.timestampId}`) })),
    )
  })

  router.get(`${BASE}/timestamps/:timestampId`, async (koa) => {
    const id = param(koa, 'timestampId')
    if (!/^u[A-Za-z0-9_-]{10,100}$/.test(id))
      throw new InvalidRequest('The format of {timestampId} parameter is not valid')
    const row = await ctx.db.tsTimestamp.findUnique({ where: { timestampId: id } })
    if (!row) throw new NotFound('Timestamp not found')
    koa.body = {
      hash: row.hash,
      timestampedBy: row.timestampedBy,
      blockNumber: row.blockNumber,
      timestamp: new Date(row.timestamp * 1000).toISOString(),
      transactionHash: row.transactionHash,
      data: row.data,
    }
  })

  router.post(`${BASE}/jsonrpc`, async (koa) => {
    koa.body = await handleRegistryRpc(
      ctx,
      timestampRpc,
      koa.get('authorization') || undefined,
      koa.request.body,
    )
  })
}
