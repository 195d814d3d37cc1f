/**
 * The per-credential reads and writes of the issuance hot path behind one small interface, with two
 * implementations chosen at assembly: on SQLite, cached better-sqlite3 statements on the connection
 * under Prisma (`db.sqlite`: no query compiler, no re-prepare, one synchronous transaction per group);
 * on PostgreSQL, the Prisma client with the set-wise SQL of hot-path.ts. Both keep the same guards
 * (primary keys, compare-and-set on the case head, `state = 'offered'`), so a failed group rolls back
 * whole and the caller's careful single path (Prisma) decides.
 */
import { type Db, type SqliteHandle, sqliteDateTime } from '@flora/db'
import type { IssuerClient } from '../services/context.ts'
import { WriteConflict } from '../services/context.ts'
import { type ColumnType, countBelow, insertRows, type SqlTarget, updateRows } from './hot-path.ts'

/** A recorded offer with its audit event and (with an Idempotency-Key) its stored response. */
export interface OfferInsert {
  id: string
  caseId: string
  authorityId: string
  type: string
  claimsJson: string
  delivery: string
  preAuthCodeHash: string
  txCodeHash: string
  offerExpiresAt: Date
  audit: { actorType: string; actorId: string }
  idempotency?: { principal: string; key: string; requestHash: string; status: number; responseJson: string }
}

/** One issued credential of a group commit. */
export interface IssuedRow {
  milestoneId: string
  caseId: string
  authorityId: string
  nonce: string
  nonceExpiresAt: Date
  credentialJwt: string
  credentialHash: string
  credentialId: string
  previousHash: string | null
  issuedAt: Date
  /** Until when the wallet may fetch the credential again (then it is erased). */
  redeliverableUntil: Date
  revocation: { listId: string; index: number }
  suspension: { listId: string; index: number }
  leafHex: string
}

export interface CaseHead {
  headHash: string | null
  headVersion: number
}

export interface OfferRow {
  id: string
  caseId: string
  authorityId: string
  type: string
  claimsJson: string
  state: string
  delivery: string
  txCodeHash: string
  txCodeAttempts: number
  offerExpiresAt: Date
  redeliverableUntil: Date | null
}

export interface ProofRow {
  milestoneId: string
  leafHex: string
  batchId: string | null
  batch?: {
    id: string
    rootHex: string
    size: number
    state: string
    txHash: string | null
    timestampId: string | null
    blockNumber: number | null
    anchoredAt: Date | null
  }
}

export interface HotStore {
  /** API token by the SHA-256 of its value. */
  apiToken(
    tokenHash: string,
  ): Promise<
    { id: string; authorityId: string; role: string; revoked: boolean; expiresAt: Date | null } | undefined
  >
  /** The case if the authority holds a grant on it. */
  grantedCase(
    caseId: string,
    authorityId: string,
  ): Promise<{ holderDid: string; openedBy: string } | undefined>
  idempotencyRecord(
    principal: string,
    key: string,
  ): Promise<{ requestHash: string; status: number; responseJson: string } | undefined>
  /** An offer (milestone) with its case's holder DID. */
  offer(milestoneId: string): Promise<(OfferRow & { holderDid: string }) | undefined>
  offerByCodeHash(preAuthCodeHash: string): Promise<OfferRow | undefined>
  /**
   * Counts one wrong transaction code on the offer if fewer than `limit` were counted, in one
   * conditional UPDATE (atomic across requests, connections and instances).
   * @returns false when the limit was already reached (nothing counted)
   */
  countWrongTxCode(milestoneId: string, limit: number): Promise<boolean>
  caseHeads(caseIds: string[]): Promise<Map<string, CaseHead>>
  usedNonce(nonce: string): Promise<boolean>
  /** Inserts offers, audit events and idempotency records in one transaction (any violation: nothing). */
  recordOffers(rows: OfferInsert[], now: Date): Promise<void>
  /**
   * In one transaction: nonces (single use), status entries, outbox leaves and audit events inserted,
   * milestones `offered` → `issued`, case heads moved from `startVersions` (compare-and-set).
   */
  commitIssued(rows: IssuedRow[], heads: Map<string, CaseHead & { from: number }>, now: Date): Promise<void>
  /** The anchoring state of a credential: its outbox leaf and (once sealed) its batch. */
  proofByCredentialId(credentialId: string): Promise<ProofRow | undefined>
  proofByMilestoneId(milestoneId: string): Promise<ProofRow | undefined>
  /** The padded leaves of a batch (hex, JSON array). */
  batchLeavesJson(batchId: string): Promise<string | undefined>
  /** Outbox leaves not in a batch yet, oldest first. */
  pendingLeaves(limit: number): Promise<{ id: number; leafHex: string }[]>
  /**
   * Seals a batch: the leaves join it only if none was taken meanwhile (else nothing is written and
   * false is returned).
   */
  sealBatch(
    batch: { id: string; rootHex: string; size: number; leavesJson: string },
    leafIds: number[],
  ): Promise<boolean>
}

const issuedColumns: [string, ColumnType][] = [
  ['state', 'text'],
  ['credentialJwt', 'text'],
  ['credentialHash', 'text'],
  ['credentialId', 'text'],
  ['previousHash', 'text'],
  ['issuedAt', 'timestamp'],
  ['codeRedeemedAt', 'timestamp'],
  ['redeliverableUntil', 'timestamp'],
  ['revocationListId', 'text'],
  ['revocationIndex', 'integer'],
  ['suspensionListId', 'text'],
  ['suspensionIndex', 'integer'],
]
const issuedValues = (r: IssuedRow) => [
  'issued',
  r.credentialJwt,
  r.credentialHash,
  r.credentialId,
  r.previousHash,
  r.issuedAt,
  r.issuedAt,
  r.redeliverableUntil,
  r.revocation.listId,
  r.revocation.index,
  r.suspension.listId,
  r.suspension.index,
]
const offerColumns = [
  'id',
  'caseId',
  'authorityId',
  'type',
  'claimsJson',
  'state',
  'suspended',
  'delivery',
  'preAuthCodeHash',
  'txCodeHash',
  'txCodeAttempts',
  'offerExpiresAt',
  'createdAt',
]
const auditColumns = ['at', 'authorityId', 'actorType', 'actorId', 'action', 'caseId', 'subjectId', 'outcome']
const idempotencyColumns = ['principal', 'key', 'requestHash', 'status', 'responseJson', 'createdAt']

/** The Prisma implementation (PostgreSQL; SQLite without a direct handle). */
export class PrismaHotStore implements HotStore {
  constructor(
    private readonly db: IssuerClient,
    private readonly target: SqlTarget,
  ) {}

  async apiToken(tokenHash: string) {
    const row = await this.db.apiToken.findUnique({ where: { tokenHash } })
    return row
      ? {
          id: row.id,
          authorityId: row.authorityId,
          role: row.role,
          revoked: !!row.revokedAt,
          expiresAt: row.expiresAt,
        }
      : undefined
  }

  async grantedCase(caseId: string, authorityId: string) {
    const grant = await this.db.caseGrant.findUnique({
      where: { caseId_authorityId: { caseId, authorityId } },
    })
    if (!grant) return undefined
    const row = await this.db.issuerCase.findUnique({ where: { id: caseId } })
    return row ? { holderDid: row.holderDid, openedBy: row.openedBy } : undefined
  }

  async idempotencyRecord(principal: string, key: string) {
    return (
      (await this.db.idempotencyRecord.findUnique({ where: { principal_key: { principal, key } } })) ??
      undefined
    )
  }

  async offer(milestoneId: string) {
    const row = await this.db.milestoneRecord.findUnique({ where: { id: milestoneId } })
    if (!row) return undefined
    const kase = await this.db.issuerCase.findUnique({
      where: { id: row.caseId },
      select: { holderDid: true },
    })
    return kase ? { ...row, holderDid: kase.holderDid } : undefined
  }

  async offerByCodeHash(preAuthCodeHash: string) {
    return (await this.db.milestoneRecord.findUnique({ where: { preAuthCodeHash } })) ?? undefined
  }

  async countWrongTxCode(milestoneId: string, limit: number) {
    return (
      (await countBelow(this.db, this.target, 'MilestoneRecord', 'txCodeAttempts', milestoneId, limit)) === 1
    )
  }

  async caseHeads(caseIds: string[]) {
    const heads = new Map<string, CaseHead>()
    if (caseIds.length === 0) return heads
    for (const row of await this.db.issuerCase.findMany({
      where: { id: { in: caseIds } },
      select: { id: true, headHash: true, headVersion: true },
    }))
      heads.set(row.id, { headHash: row.headHash, headVersion: row.headVersion })
    return heads
  }

  async usedNonce(nonce: string) {
    return (await this.db.usedNonce.findUnique({ where: { nonce } })) !== null
  }

  async recordOffers(rows: OfferInsert[], now: Date) {
    const target = this.target
    await this.db.$transaction(
      async (tx) => {
        await insertRows(
          tx,
          target,
          'MilestoneRecord',
          offerColumns,
          rows.map((r) => [
            r.id,
            r.caseId,
            r.authorityId,
            r.type,
            r.claimsJson,
            'offered',
            false,
            r.delivery,
            r.preAuthCodeHash,
            r.txCodeHash,
            0,
            r.offerExpiresAt,
            now,
          ]),
        )
        await insertRows(
          tx,
          target,
          'AuditEvent',
          auditColumns,
          rows.map((r) => [
            now,
            r.authorityId,
            r.audit.actorType,
            r.audit.actorId,
            'milestone.record',
            r.caseId,
            r.id,
            'ok',
          ]),
        )
        await insertRows(
          tx,
          target,
          'IdempotencyRecord',
          idempotencyColumns,
          rows.flatMap(({ idempotency: i }) =>
            i ? [[i.principal, i.key, i.requestHash, i.status, i.responseJson, now]] : [],
          ),
        )
      },
      { timeout: 30_000, maxWait: 30_000 },
    )
  }

  async commitIssued(rows: IssuedRow[], heads: Map<string, CaseHead & { from: number }>, now: Date) {
    const target = this.target
    await this.db.$transaction(
      async (tx) => {
        await insertRows(
          tx,
          target,
          'UsedNonce',
          ['nonce', 'expiresAt'],
          rows.map((r) => [r.nonce, r.nonceExpiresAt]),
        )
        await insertRows(
          tx,
          target,
          'StatusEntry',
          ['listId', 'statusIndex', 'milestoneId', 'setBit', 'updatedAt'],
          rows.flatMap((r) => [
            [r.revocation.listId, r.revocation.index, r.milestoneId, false, now],
            [r.suspension.listId, r.suspension.index, r.milestoneId, false, now],
          ]),
        )
        await insertRows(
          tx,
          target,
          'AnchorLeaf',
          ['milestoneId', 'leafHex', 'createdAt'],
          rows.map((r) => [r.milestoneId, r.leafHex, now]),
        )
        await insertRows(
          tx,
          target,
          'AuditEvent',
          auditColumns,
          rows.map((r) => [
            now,
            r.authorityId,
            'wallet',
            'holder',
            'credential.issue',
            r.caseId,
            r.milestoneId,
            'ok',
          ]),
        )
        const issued = await updateRows(
          tx,
          target,
          'MilestoneRecord',
          'id',
          issuedColumns,
          rows.map((r) => ({ key: r.milestoneId, values: issuedValues(r) })),
          { column: 'state', value: 'offered' },
        )
        if (issued !== rows.length) throw new Error('an offer is no longer offered')
        const moved = await updateRows(
          tx,
          target,
          'IssuerCase',
          'id',
          [
            ['headHash', 'text'],
            ['headVersion', 'integer'],
          ],
          [...heads].map(([caseId, head]) => ({
            key: caseId,
            values: [head.headHash, head.headVersion],
            guard: { column: 'headVersion', value: head.from },
          })),
        )
        if (moved !== heads.size) throw new WriteConflict('case head moved')
      },
      { timeout: 30_000, maxWait: 30_000 },
    )
  }

  async proofByCredentialId(credentialId: string) {
    const row = await this.db.milestoneRecord.findUnique({ where: { credentialId }, select: { id: true } })
    return row
      ? ((await this.proofByMilestoneId(row.id)) ?? { milestoneId: row.id, leafHex: '', batchId: null })
      : undefined
  }

  async proofByMilestoneId(milestoneId: string) {
    const leaf = await this.db.anchorLeaf.findUnique({ where: { milestoneId } })
    if (!leaf) return undefined
    const batch = leaf.batchId
      ? await this.db.anchorBatch.findUnique({ where: { id: leaf.batchId }, omit: { leavesJson: true } })
      : null
    return { milestoneId, leafHex: leaf.leafHex, batchId: leaf.batchId, ...(batch ? { batch } : {}) }
  }

  async batchLeavesJson(batchId: string) {
    const row = await this.db.anchorBatch.findUnique({ where: { id: batchId }, select: { leavesJson: true } })
    return row?.leavesJson
  }

  async pendingLeaves(limit: number) {
    return this.db.anchorLeaf.findMany({
      where: { batchId: null },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true, leafHex: true },
    })
  }

  async sealBatch(
    batch: { id: string; rootHex: string; size: number; leavesJson: string },
    leafIds: number[],
  ) {
    return this.db
      .$transaction(async (tx) => {
        const { count } = await tx.anchorLeaf.updateMany({
          where: { id: { in: leafIds }, batchId: null },
          data: { batchId: batch.id },
        })
        if (count !== leafIds.length)
          throw new Error('another anchoring run took some leaves; retry next period')
        await tx.anchorBatch.create({ data: { ...batch, state: 'sealed' } })
        return true
      })
      .catch(() => false)
  }
}

const dateOf = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string))

/** Cached statements on the connection under Prisma (see SqliteHandle). */
export class SqliteHotStore implements HotStore {
  constructor(private readonly sqlite: SqliteHandle) {}

  /** One row, read once no transaction holds the connection (never another's uncommitted rows). */
  #get<T>(sql: string, ...params: unknown[]): Promise<T | undefined> {
    return this.sqlite.read(() => this.sqlite.statement(sql).get(...params) as T | undefined)
  }

  async apiToken(tokenHash: string) {
    const row = await this.#get<{
      id: string
      authorityId: string
      role: string
      revokedAt: string | null
      expiresAt: string | number | null
    }>(
      'SELECT "id", "authorityId", "role", "revokedAt", "expiresAt" FROM "ApiToken" WHERE "tokenHash" = ?',
      tokenHash,
    )
    return row
      ? {
          id: row.id,
          authorityId: row.authorityId,
          role: row.role,
          revoked: row.revokedAt !== null,
          expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt),
        }
      : undefined
  }

  async grantedCase(caseId: string, authorityId: string) {
    return await this.#get<{ holderDid: string; openedBy: string }>(
      'SELECT c."holderDid", c."openedBy" FROM "CaseGrant" g JOIN "IssuerCase" c ON c."id" = g."caseId" WHERE g."caseId" = ? AND g."authorityId" = ?',
      caseId,
      authorityId,
    )
  }

  async idempotencyRecord(principal: string, key: string) {
    return await this.#get<{ requestHash: string; status: number; responseJson: string }>(
      'SELECT "requestHash", "status", "responseJson" FROM "IdempotencyRecord" WHERE "principal" = ? AND "key" = ?',
      principal,
      key,
    )
  }

  static #offerColumns =
    'm."id", m."caseId", m."authorityId", m."type", m."claimsJson", m."state", m."delivery", m."txCodeHash", m."txCodeAttempts", m."offerExpiresAt", m."redeliverableUntil"'

  async offer(milestoneId: string) {
    const row = await this.#get<OfferRow & { holderDid: string }>(
      `SELECT ${SqliteHotStore.#offerColumns}, c."holderDid" FROM "MilestoneRecord" m JOIN "IssuerCase" c ON c."id" = m."caseId" WHERE m."id" = ?`,
      milestoneId,
    )
    return row
      ? {
          ...row,
          offerExpiresAt: dateOf(row.offerExpiresAt)!,
          redeliverableUntil: dateOf(row.redeliverableUntil),
        }
      : undefined
  }

  async offerByCodeHash(preAuthCodeHash: string) {
    const row = await this.#get<OfferRow>(
      `SELECT ${SqliteHotStore.#offerColumns} FROM "MilestoneRecord" m WHERE m."preAuthCodeHash" = ?`,
      preAuthCodeHash,
    )
    return row
      ? {
          ...row,
          offerExpiresAt: dateOf(row.offerExpiresAt)!,
          redeliverableUntil: dateOf(row.redeliverableUntil),
        }
      : undefined
  }

  async countWrongTxCode(milestoneId: string, limit: number) {
    return await this.sqlite.write(
      () =>
        this.sqlite
          .statement(
            'UPDATE "MilestoneRecord" SET "txCodeAttempts" = "txCodeAttempts" + 1 WHERE "id" = ? AND "txCodeAttempts" < ?',
          )
          .run(milestoneId, limit).changes === 1,
    )
  }

  async caseHeads(caseIds: string[]) {
    const heads = new Map<string, CaseHead>()
    await this.sqlite.read(() => {
      const statement = this.sqlite.statement(
        'SELECT "headHash", "headVersion" FROM "IssuerCase" WHERE "id" = ?',
      )
      for (const id of caseIds) {
        const row = statement.get(id) as CaseHead | undefined
        if (row) heads.set(id, { headHash: row.headHash, headVersion: row.headVersion })
      }
    })
    return heads
  }

  async usedNonce(nonce: string) {
    return (await this.#get('SELECT 1 FROM "UsedNonce" WHERE "nonce" = ?', nonce)) !== undefined
  }

  async recordOffers(rows: OfferInsert[], now: Date) {
    const at = sqliteDateTime(now)
    await this.sqlite.write(() => {
      const offer = this.sqlite.statement(
        'INSERT INTO "MilestoneRecord" ("id", "caseId", "authorityId", "type", "claimsJson", "state", "suspended", "delivery", "preAuthCodeHash", "txCodeHash", "txCodeAttempts", "offerExpiresAt", "createdAt") VALUES (?, ?, ?, ?, ?, \'offered\', 0, ?, ?, ?, 0, ?, ?)',
      )
      const audit = this.sqlite.statement(
        'INSERT INTO "AuditEvent" ("at", "authorityId", "actorType", "actorId", "action", "caseId", "subjectId", "outcome") VALUES (?, ?, ?, ?, ?, ?, ?, \'ok\')',
      )
      const idempotency = this.sqlite.statement(
        'INSERT INTO "IdempotencyRecord" ("principal", "key", "requestHash", "status", "responseJson", "createdAt") VALUES (?, ?, ?, ?, ?, ?)',
      )
      for (const r of rows) {
        offer.run(
          r.id,
          r.caseId,
          r.authorityId,
          r.type,
          r.claimsJson,
          r.delivery,
          r.preAuthCodeHash,
          r.txCodeHash,
          sqliteDateTime(r.offerExpiresAt),
          at,
        )
        audit.run(at, r.authorityId, r.audit.actorType, r.audit.actorId, 'milestone.record', r.caseId, r.id)
        const i = r.idempotency
        if (i) idempotency.run(i.principal, i.key, i.requestHash, i.status, i.responseJson, at)
      }
    })
  }

  async commitIssued(rows: IssuedRow[], heads: Map<string, CaseHead & { from: number }>, now: Date) {
    const at = sqliteDateTime(now)
    await this.sqlite.write(() => {
      const nonce = this.sqlite.statement('INSERT INTO "UsedNonce" ("nonce", "expiresAt") VALUES (?, ?)')
      const status = this.sqlite.statement(
        'INSERT INTO "StatusEntry" ("listId", "statusIndex", "milestoneId", "setBit", "updatedAt") VALUES (?, ?, ?, 0, ?)',
      )
      const leaf = this.sqlite.statement(
        'INSERT INTO "AnchorLeaf" ("milestoneId", "leafHex", "createdAt") VALUES (?, ?, ?)',
      )
      const audit = this.sqlite.statement(
        'INSERT INTO "AuditEvent" ("at", "authorityId", "actorType", "actorId", "action", "caseId", "subjectId", "outcome") VALUES (?, ?, \'wallet\', \'holder\', \'credential.issue\', ?, ?, \'ok\')',
      )
      const issue = this.sqlite.statement(
        'UPDATE "MilestoneRecord" SET "state" = \'issued\', "credentialJwt" = ?, "credentialHash" = ?, "credentialId" = ?, "previousHash" = ?, "issuedAt" = ?, "codeRedeemedAt" = ?, "redeliverableUntil" = ?, "revocationListId" = ?, "revocationIndex" = ?, "suspensionListId" = ?, "suspensionIndex" = ? WHERE "id" = ? AND "state" = \'offered\'',
      )
      const move = this.sqlite.statement(
        'UPDATE "IssuerCase" SET "headHash" = ?, "headVersion" = ? WHERE "id" = ? AND "headVersion" = ?',
      )
      for (const r of rows) {
        nonce.run(r.nonce, sqliteDateTime(r.nonceExpiresAt))
        status.run(r.revocation.listId, r.revocation.index, r.milestoneId, at)
        status.run(r.suspension.listId, r.suspension.index, r.milestoneId, at)
        leaf.run(r.milestoneId, r.leafHex, at)
        audit.run(at, r.authorityId, r.caseId, r.milestoneId)
        const issuedAt = sqliteDateTime(r.issuedAt)
        const { changes } = issue.run(
          r.credentialJwt,
          r.credentialHash,
          r.credentialId,
          r.previousHash,
          issuedAt,
          issuedAt,
          sqliteDateTime(r.redeliverableUntil),
          r.revocation.listId,
          r.revocation.index,
          r.suspension.listId,
          r.suspension.index,
          r.milestoneId,
        )
        if (changes !== 1) throw new Error('an offer is no longer offered')
      }
      for (const [caseId, head] of heads)
        if (move.run(head.headHash, head.headVersion, caseId, head.from).changes !== 1)
          throw new WriteConflict('case head moved')
    })
  }

  async proofByCredentialId(credentialId: string) {
    const row = await this.#get<{ id: string }>(
      'SELECT "id" FROM "MilestoneRecord" WHERE "credentialId" = ?',
      credentialId,
    )
    return row
      ? ((await this.proofByMilestoneId(row.id)) ?? { milestoneId: row.id, leafHex: '', batchId: null })
      : undefined
  }

  async proofByMilestoneId(milestoneId: string) {
    const row = await this.#get<Record<string, unknown>>(
      'SELECT l."leafHex", l."batchId", b."id" AS "bId", b."rootHex", b."size", b."state", b."txHash", b."timestampId", b."blockNumber", b."anchoredAt" FROM "AnchorLeaf" l LEFT JOIN "AnchorBatch" b ON b."id" = l."batchId" WHERE l."milestoneId" = ?',
      milestoneId,
    )
    if (!row) return undefined
    return {
      milestoneId,
      leafHex: row.leafHex as string,
      batchId: (row.batchId as string | null) ?? null,
      ...(row.bId
        ? {
            batch: {
              id: row.bId as string,
              rootHex: row.rootHex as string,
              size: row.size as number,
              state: row.state as string,
              txHash: (row.txHash as string | null) ?? null,
              timestampId: (row.timestampId as string | null) ?? null,
              blockNumber: (row.blockNumber as number | null) ?? null,
              anchoredAt: dateOf(row.anchoredAt),
            },
          }
        : {}),
    }
  }

  async batchLeavesJson(batchId: string) {
    return (
      await this.#get<{ leavesJson: string }>(
        'SELECT "leavesJson" FROM "AnchorBatch" WHERE "id" = ?',
        batchId,
      )
    )?.leavesJson
  }

  async pendingLeaves(limit: number) {
    return this.sqlite.read(
      () =>
        this.sqlite
          .statement('SELECT "id", "leafHex" FROM "AnchorLeaf" WHERE "batchId" IS NULL ORDER BY "id" LIMIT ?')
          .all(limit) as { id: number; leafHex: string }[],
    )
  }

  async sealBatch(
    batch: { id: string; rootHex: string; size: number; leavesJson: string },
    leafIds: number[],
  ) {
    try {
      return await this.sqlite.write(() => {
        const take = this.sqlite.statement(
          'UPDATE "AnchorLeaf" SET "batchId" = ? WHERE "id" = ? AND "batchId" IS NULL',
        )
        for (const id of leafIds)
          if (take.run(batch.id, id).changes !== 1)
            throw new Error('another anchoring run took some leaves; retry next period')
        this.sqlite
          .statement(
            'INSERT INTO "AnchorBatch" ("id", "rootHex", "size", "leavesJson", "state", "createdAt") VALUES (?, ?, ?, ?, \'sealed\', ?)',
          )
          .run(batch.id, batch.rootHex, batch.size, batch.leavesJson, sqliteDateTime(new Date()))
        return true
      })
    } catch {
      return false
    }
  }
}

/** The hot store of a service database: direct SQLite when available, Prisma otherwise. */
export function hotStoreFor(db: Db<'issuer'>, target: SqlTarget): HotStore {
  return db.sqlite ? new SqliteHotStore(db.sqlite) : new PrismaHotStore(db.client, target)
}
