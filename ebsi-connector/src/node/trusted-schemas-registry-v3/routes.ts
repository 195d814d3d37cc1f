import { parseSchemaId, registryInterface } from '../../core/index.ts'
import { handleRegistryRpc } from '../chain/registry-rpc.ts'
import { InvalidRequest, NotFound } from '../errors.ts'
import { paged, parsePage } from '../http/pagination.ts'
import { type NodeRouter, param, validAtParam } from '../http/route-kit.ts'
import type { NodeContext } from '../state/context.ts'
import { trustedSchemasRegistryRpc } from './methods.ts'

const BASE = '/trusted-schemas-registry/v3'

function schemaIdParam(value: string): string {
  try {
    return parseSchemaId(value).multibase
  } catch {
    throw new InvalidRequest('The format of {schemaId} parameter is not valid')
  }
}
function revisionIdParam(value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value))
    throw new InvalidRequest('The format of {schemaRevisionId} parameter is not valid')
  return value.toLowerCase()
}

/** Trusted Schemas Registry v3: schemas, revisions, metadata, abi, JSON-RPC. */
export function mountTrustedSchemasRegistry(router: NodeRouter, ctx: NodeContext): void {
  const schemas = () => `${ctx.publicUrl()}${BASE}/schemas`

  router.get(`${BASE}/schemas`, async (koa) => {
    const page = parsePage(koa.query)
    const [total, rows] = await Promise.all([
      ctx.db.tsrSchema.count(),
      ctx.db.tsrSchema.findMany({
        orderBy: [{ createdAt: 'asc' }, { schemaId: 'asc' }],
        skip: page.offset,
        take: page.size,
      }),
    ])
    koa.body = paged(
      schemas(),
      page,
      total,
      rows.map((r) => ({ schemaId: r.schemaId, href: `${schemas()}/${r.schemaId}` })),
    )
  })

  router.get(`${BASE}/schemas/:schemaId`, async (koa) => {
    const schemaId = schemaIdParam(param(koa, 'schemaId'))
    const schema = await ctx.db.tsrSchema.findUnique({ where: { schemaId } })
    if (!schema) throw new NotFound('Schema not found')
    const revision = await ctx.db.tsrSchemaRevision.findUniqueOrThrow({
      where: { schemaId_revisionId: { schemaId, revisionId: schema.latestRevisionId } },
    })
    koa.body = JSON.parse(revision.schema) as unknown
  })

  router.get(`${BASE}/schemas/:schemaId/revisions`, async (koa) => {
    const schemaId = schemaIdParam(param(koa, 'schemaId'))
    const page = parsePage(koa.query)
    const validAt = validAtParam(koa)
    const version = koa.query.version
    if (version !== undefined && version !== 'latest' && version !== 'deprecated')
      throw new InvalidRequest('"version" must be latest or deprecated')
    const where = validAt === undefined ? { schemaId } : { schemaId, createdAt: { lte: validAt } }
    const [total, rows] = await Promise.all([
      ctx.db.tsrSchemaRevision.count({ where }),
      ctx.db.tsrSchemaRevision.findMany({
        where,
        orderBy: { seq: 'desc' },
        skip: page.offset,
        take: page.size,
      }),
    ])
    const base = `${schemas()}/${schemaId}/revisions`
    koa.body = paged(
      base,
      page,
      total,
      rows.map((r) => ({ schemaRevisionId: r.revisionId, href: `${base}/${r.revisionId}` })),
    )
  })

  router.get(`${BASE}/schemas/:schemaId/revisions/:revisionId`, async (koa) => {
    const schemaId = schemaIdParam(param(koa, 'schemaId'))
    const revisionId = revisionIdParam(param(koa, 'revisionId'))
    const revision = await ctx.db.tsrSchemaRevision.findUnique({
      where: { schemaId_revisionId: { schemaId, revisionId } },
    })
    if (!revision) throw new NotFound('Revision not found')
    koa.body = JSON.parse(revision.schema) as unknown
  })

  router.get(`${BASE}/schemas/:schemaId/revisions/:revisionId/metadata`, async (koa) => {
    const schemaId = schemaIdParam(param(koa, 'schemaId'))
    const revisionId = revisionIdParam(param(koa, 'revisionId'))
    const page = parsePage(koa.query)
    const where = { schemaId, revisionId }
    const [total, rows] = await Promise.all([
      ctx.db.tsrSchemaMetadata.count({ where }),
      ctx.db.tsrSchemaMetadata.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        skip: page.offset,
        take: page.size,
      }),
    ])
    if (total === 0) throw new NotFound('Revision not found')
    const base = `${schemas()}/${schemaId}/revisions/${revisionId}/metadata`
    koa.body = paged(
      base,
      page,
      total,
      rows.map((r) => ({ metadataId: r.metadataId, href: `${base}/${r.metadataId}` })),
    )
  })

  router.get(`${BASE}/schemas/:schemaId/revisions/:revisionId/metadata/:metadataId`, async (koa) => {
    const schemaId = schemaIdParam(param(koa, 'schemaId'))
    const revisionId = revisionIdParam(param(koa, 'revisionId'))
    const metadataId = revisionIdParam(param(koa, 'metadataId'))
    const row = await ctx.db.tsrSchemaMetadata.findUnique({
      where: { schemaId_revisionId_metadataId: { schemaId, revisionId, metadataId } },
    })
    if (!row) throw new NotFound('Metadata not found')
    koa.type = 'application/ld+json'
    koa.body = JSON.parse(row.metadata) as unknown
  })

  router.get(`${BASE}/abi`, (koa) => {
    koa.body = { abi: JSON.parse(registryInterface('trusted-schemas-registry').formatJson()) as unknown }
  })

  router.post(`${BASE}/jsonrpc`, async (koa) => {
    koa.body = await handleRegistryRpc(
      ctx,
      trustedSchemasRegistryRpc,
      koa.get('authorization') || undefined,
      koa.request.body,
    )
  })
}
