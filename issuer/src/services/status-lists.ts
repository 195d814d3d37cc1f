import { buildStatusListCredential } from '../domain/credential.ts'
import {
  encodeStatusList,
  isStatusListFull,
  randomStatusIndexes,
  STATUS_LIST_SIZE,
  type StatusPurpose,
  statusPurposes,
} from '../domain/status-list.ts'
import { ResourceNotFound } from '../errors.ts'
import { signJwt } from '../keys/keyring.ts'
import { getOnboardedAuthority } from './authorities.ts'
import type { IssuerContext, IssuerTx } from './context.ts'

/** Path (below the authority's status prefix) of a list: `/<purpose>/<number>`. */
export const statusListPath = (purpose: StatusPurpose, number: number) => `/${purpose}/${number}`

/** The prefix the TIR proxy forwards to: `<public>/authorities/<id>/status-lists`. */
export const statusListPrefix = (publicUrl: string, authorityId: string) =>
  `${publicUrl}/authorities/${authorityId}/status-lists`

interface CurrentList {
  id: string
  number: number
  size: number
  /** Entries allocated so far (exact at load, then counted by this process). */
  allocated: number
  /** Indexes known to be taken (loaded once, then kept by this process). */
  taken: Uint8Array
}
const currentLists = new Map<string, CurrentList>()

type ListDb = Pick<IssuerTx, 'statusList' | 'statusEntry'>

async function currentList(tx: ListDb, authorityId: string, purpose: StatusPurpose): Promise<CurrentList> {
  const key = `${authorityId}:${purpose}`
  const cached = currentLists.get(key)
  if (cached && !isStatusListFull(cached.allocated, cached.size)) return cached
  let row = await tx.statusList.findFirst({ where: { authorityId, purpose }, orderBy: { number: 'desc' } })
  let entries = row
    ? await tx.statusEntry.findMany({ where: { listId: row.id }, select: { statusIndex: true } })
    : []
  if (!row || isStatusListFull(entries.length, row.size)) {
    const number = (row?.number ?? 0) + 1
    const id = `${authorityId}:${purpose}:${number}`
    row = await tx.statusList.upsert({
      where: { id },
      create: { id, authorityId, purpose, number, size: STATUS_LIST_SIZE },
      update: {},
    })
    entries = await tx.statusEntry.findMany({ where: { listId: row.id }, select: { statusIndex: true } })
  }
  const taken = new Uint8Array(row.size / 8)
  for (const { statusIndex } of entries) taken[statusIndex >> 3]! |= 0x80 >> (statusIndex & 7)
  const list = { id: row.id, number: row.number, size: row.size, allocated: entries.length, taken }
  currentLists.set(key, list)
  return list
}

/**
 * Picks a random free index in the authority's current list of the purpose. This process remembers
 * the taken indexes (loaded once per list), so picks do not collide with each other; the caller
 * inserts the StatusEntry rows, whose primary key (list, index) still guarantees that an index is
 * never reused when several processes allocate (a collision fails that transaction, which is retried
 * after the positions are reloaded). A new list starts at 90 % (random picks stay cheap).
 */
export async function pickStatusIndex(tx: ListDb, authorityId: string, purpose: StatusPurpose) {
  const list = await currentList(tx, authorityId, purpose)
  for (;;) {
    const [index] = randomStatusIndexes(1, list.size)
    const bit = 0x80 >> (index! & 7)
    if (list.taken[index! >> 3]! & bit) continue // taken: draw again (the list is at most 90 % full)
    list.taken[index! >> 3]! |= bit
    list.allocated++
    return { listId: list.id, number: list.number, index: index! }
  }
}

/** Forgets cached list positions (after a failed transaction, so counts are reloaded). */
export function forgetStatusListPositions(): void {
  currentLists.clear()
}

const snapshots = new Map<string, { jwt: string; until: number }>()

/** Forgets the signed snapshot of a list after one of its bits changed. */
export function markStatusChanged(listId: string): void {
  snapshots.delete(listId)
}

/**
 * The signed StatusList2021Credential of one list (what the TIR proxy forwards to). Snapshots are
 * re-signed after a change in this process, and at most every 5 s otherwise (other processes).
 */
export async function signedStatusList(
  ctx: IssuerContext,
  authorityId: string,
  purpose: string,
  number: number,
): Promise<string> {
  if (!(statusPurposes as readonly string[]).includes(purpose))
    throw new ResourceNotFound('status list not found')
  const listId = `${authorityId}:${purpose}:${number}`
  const cached = snapshots.get(listId)
  if (cached && cached.until > Date.now()) return cached.jwt
  const authority = await getOnboardedAuthority(ctx, authorityId)
  const list = await ctx.db.statusList.findUnique({ where: { id: listId } })
  // A list that has no entry yet is served empty, so the TIR's proxy test passes before any issuance.
  const size = list?.size ?? STATUS_LIST_SIZE
  if (!list && number !== 1) throw new ResourceNotFound('status list not found')
  const set = list
    ? await ctx.db.statusEntry.findMany({ where: { listId, setBit: true }, select: { statusIndex: true } })
    : []
  const listUrl = `${ctx.ledger.proxyUrl(authority.did, authority.proxyId)}${statusListPath(purpose as StatusPurpose, number)}`
  const { header, payload } = buildStatusListCredential({
    issuerDid: authority.did,
    kid: `${authority.did}#${authority.assertionKid}`,
    listUrl,
    purpose: purpose as StatusPurpose,
    encodedList: encodeStatusList(
      set.map((entry) => entry.statusIndex),
      size,
    ),
    statusListSchemaUrl: ctx.ledger.statusListCredentialSchemaUrl(),
    issuedAt: ctx.now(),
    ttlSeconds: ctx.config.FLORA_ISSUER_STATUS_LIST_TTL_SECONDS,
  })
  const signer = await ctx.keyring.signer(authorityId, authority.assertionKid)
  const jwt = await signJwt(signer, header, payload)
  snapshots.set(listId, { jwt, until: Date.now() + 5_000 })
  return jwt
}
