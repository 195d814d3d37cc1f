import { randomUUID } from 'node:crypto'
import { holderJwkOf } from '../domain/did-key.ts'
import { AlreadyExists, ClaimsInvalid, ResourceNotFound } from '../errors.ts'
import { audit } from './audit.ts'
import { casesById, grants } from './hot-cache.ts'
import { type IssuerContext, isUniqueViolation, type Principal } from './context.ts'

/** Opens a case for a holder did:key; the opening authority holds the first grant. */
export async function openCase(
  ctx: IssuerContext,
  by: Principal,
  args: { holderDid: string; fileNumber?: string },
) {
  if (!holderJwkOf(args.holderDid))
    throw new ClaimsInvalid('holderDid must be a did:key (EBSI jwk_jcs-pub, P-256)', {
      invalidParams: [{ name: '/holderDid', reason: 'not an EBSI natural-person did:key with a P-256 key' }],
    })
  const id = randomUUID()
  try {
    await ctx.db.$transaction(async (tx) => {
      await tx.issuerCase.create({
        data: {
          id,
          holderDid: args.holderDid,
          openedBy: by.authorityId,
          fileNumber: args.fileNumber ?? null,
        },
      })
      await tx.caseGrant.create({
        data: { caseId: id, authorityId: by.authorityId, grantedBy: by.authorityId },
      })
      await audit(tx, by, { action: 'case.open', caseId: id })
    })
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AlreadyExists('a case with this holder DID exists', { field: '/holderDid' })
    throw error
  }
  casesById.set(id, { holderDid: args.holderDid, openedBy: by.authorityId })
  grants.set(`${id}\u0000${by.authorityId}`, true)
  return { id, holderDid: args.holderDid, openedBy: by.authorityId }
}

/**
 * The case as the principal's authority sees it. No grant → ResourceNotFound, exactly as for a case
 * that does not exist, so that existence does not leak.
 */
export async function getGrantedCase(ctx: IssuerContext, by: Principal, caseId: string) {
  const grantKey = `${caseId}\u0000${by.authorityId}`
  const cached = casesById.get(caseId)
  if (cached && grants.get(grantKey)) return { id: caseId, ...cached }
  const row = await ctx.store.grantedCase(caseId, by.authorityId)
  if (!row) throw new ResourceNotFound('case not found')
  grants.set(grantKey, true) // grants are never withdrawn in this version, so a positive answer stays true
  casesById.set(caseId, { holderDid: row.holderDid, openedBy: row.openedBy })
  return { id: caseId, holderDid: row.holderDid, openedBy: row.openedBy }
}

/** Keyset cursor over the authority's grants, newest first: the last grant's time and case id. */
const encodeCursor = (at: Date, caseId: string) =>
  Buffer.from(JSON.stringify([at.toISOString(), caseId])).toString('base64url')

function decodeCursor(cursor: string): { at: Date; caseId: string } {
  try {
    const [at, caseId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (typeof at === 'string' && typeof caseId === 'string' && !Number.isNaN(Date.parse(at)))
      return { at: new Date(at), caseId }
  } catch {}
  throw new ClaimsInvalid('cursor is not one this API returned', {
    invalidParams: [{ name: 'cursor', reason: 'not a cursor this API returned' }],
  })
}

/**
 * The cases the caller's authority holds a grant for (its own and those granted to it), newest grant
 * first. Only what the case view shows: the holder DID, who opened it, when access was granted.
 */
export async function listCases(ctx: IssuerContext, by: Principal, args: { limit: number; cursor?: string }) {
  const after = args.cursor ? decodeCursor(args.cursor) : undefined
  const grants = await ctx.db.caseGrant.findMany({
    where: {
      authorityId: by.authorityId,
      ...(after
        ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, caseId: { lt: after.caseId } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { caseId: 'desc' }],
    take: args.limit + 1,
  })
  const page = grants.slice(0, args.limit)
  const rows = await ctx.db.issuerCase.findMany({ where: { id: { in: page.map((grant) => grant.caseId) } } })
  const byId = new Map(rows.map((row) => [row.id, row]))
  await audit(ctx.db, by, { action: 'case.list' })
  const last = page.at(-1)
  return {
    cases: page.flatMap((grant) => {
      const row = byId.get(grant.caseId)
      if (!row) return []
      return [
        {
          id: row.id,
          holderDid: row.holderDid,
          openedBy: row.openedBy,
          grantedAt: grant.createdAt.toISOString(),
          ...(row.openedBy === by.authorityId && row.fileNumber ? { fileNumber: row.fileNumber } : {}),
        },
      ]
    }),
    ...(grants.length > args.limit && last ? { next: encodeCursor(last.createdAt, last.caseId) } : {}),
  }
}

export async function readCase(ctx: IssuerContext, by: Principal, caseId: string) {
  await getGrantedCase(ctx, by, caseId)
  const row = await ctx.db.issuerCase.findUniqueOrThrow({ where: { id: caseId } })
  const caseGrants = await ctx.db.caseGrant.findMany({ where: { caseId }, orderBy: { createdAt: 'asc' } })
  await audit(ctx.db, by, { action: 'case.read', caseId })
  return {
    id: row.id,
    holderDid: row.holderDid,
    openedBy: row.openedBy,
    // the internal file number stays with the authority that opened the case
    ...(row.openedBy === by.authorityId && row.fileNumber ? { fileNumber: row.fileNumber } : {}),
    grants: caseGrants.map((grant) => ({ authorityId: grant.authorityId, grantedBy: grant.grantedBy })),
  }
}

/** Grants another authority access; only the authority that opened the case may grant. */
export async function grantCase(ctx: IssuerContext, by: Principal, caseId: string, authorityId: string) {
  const row = await getGrantedCase(ctx, by, caseId)
  if (row.openedBy !== by.authorityId) throw new ResourceNotFound('case not found')
  const authority = await ctx.db.authority.findUnique({ where: { id: authorityId } })
  if (!authority)
    throw new ClaimsInvalid('unknown authority', {
      invalidParams: [{ name: '/authorityId', reason: 'no such authority' }],
    })
  try {
    await ctx.db.caseGrant.create({ data: { caseId, authorityId, grantedBy: by.authorityId } })
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
  }
  await audit(ctx.db, by, { action: 'case.grant', caseId, subjectId: authorityId })
  return { caseId, authorityId }
}
