import { randomBytes } from 'node:crypto'
import { type Db, sqliteDateTime } from '@flora/db'
import type { NonceVerdict } from '../pipeline/holder-binding.ts'

/**
 * What a nonce was handed out for: the direct API (POST /nonces) or an OpenID4VP request (created
 * with the request; the answer must carry that request's own nonce, so it is bound to the request).
 */
export type NoncePurpose = 'direct' | 'oid4vp'

/**
 * Nonces the verifier hands out; each is consumed once, and only for the purpose it was issued for.
 * Presented for another purpose it is "unknown" there and stays unconsumed, so staff cannot spend
 * an OpenID4VP request's nonce through the direct API, nor the other way round.
 */
export class NonceStore {
  constructor(
    private readonly db: Db<'verifier'>,
    private readonly ttlSeconds: number,
  ) {}

  async issue(purpose: NoncePurpose): Promise<{ nonce: string; expiresAt: Date }> {
    const nonce = randomBytes(24).toString('base64url')
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000)
    const writer = this.db.sqliteWriter
    if (writer)
      await writer.run([
        {
          sql: 'INSERT INTO "VerifierNonce" ("nonce","purpose","expiresAt","createdAt") VALUES (?,?,?,?)',
          params: [nonce, purpose, sqliteDateTime(expiresAt), sqliteDateTime(new Date())],
        },
      ])
    else await this.db.client.verifierNonce.create({ data: { nonce, purpose, expiresAt } })
    return { nonce, expiresAt }
  }

  /**
   * Consumes a nonce of `purpose` atomically: ok the first time, replayed after, expired, or unknown
   * (never issued, or issued for another purpose — which the same conditional UPDATE leaves alone).
   */
  async consume(nonce: string, purpose: NoncePurpose): Promise<NonceVerdict> {
    if (nonce.length > 200) return 'unknown'
    const now = new Date()
    const writer = this.db.sqliteWriter
    const count = writer
      ? // one guarded UPDATE on the writer thread (its commit, like a report's, off the event loop),
        // not the query compiler's read-then-write
        (
          await writer.run([
            {
              sql: 'UPDATE "VerifierNonce" SET "consumedAt" = ? WHERE "nonce" = ? AND "purpose" = ? AND "consumedAt" IS NULL AND "expiresAt" > ?',
              params: [sqliteDateTime(now), nonce, purpose, sqliteDateTime(now)],
            },
          ])
        )[0]
      : (
          await this.db.client.verifierNonce.updateMany({
            where: { nonce, purpose, consumedAt: null, expiresAt: { gt: now } },
            data: { consumedAt: now },
          })
        ).count
    if (Number(count) === 1) return 'ok'
    // only on the failure path: why it failed
    const row = await this.db.client.verifierNonce.findUnique({ where: { nonce } })
    if (!row || row.purpose !== purpose) return 'unknown'
    return row.consumedAt ? 'replayed' : 'expired'
  }

  /**
   * Deletes nonces that expired more than `keepSeconds` ago. Safe at any time and from any number of
   * processes: an expired nonce can never be consumed again, and one deleted is refused as unknown,
   * so pruning changes no verdict but `expired`/`replayed` into `unknown` once the margin has passed.
   * @returns how many were deleted
   */
  async pruneExpired(keepSeconds = PRUNE_MARGIN_SECONDS): Promise<number> {
    const before = new Date(Date.now() - keepSeconds * 1000)
    const writer = this.db.sqliteWriter
    if (writer)
      return Number(
        (await writer.run([{ sql: 'DELETE FROM "VerifierNonce" WHERE "expiresAt" < ?', params: [sqliteDateTime(before)] }]))[0],
      )
    return (await this.db.client.verifierNonce.deleteMany({ where: { expiresAt: { lt: before } } })).count
  }
}

/** Expired nonces are kept this long, so that a late replay is still reported as such. */
const PRUNE_MARGIN_SECONDS = 3600
