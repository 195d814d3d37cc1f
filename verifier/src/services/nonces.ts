import { randomBytes } from 'node:crypto'
import { type Db, sqliteDateTime } from '@flora/db'
import type { NonceVerdict } from '../pipeline/holder-binding.ts'

/** Nonces the verifier hands out (OpenID4VP requests, the direct API); each is consumed once. */
export class NonceStore {
  constructor(
    private readonly db: Db<'verifier'>,
    private readonly ttlSeconds: number,
  ) {}

  async issue(purpose: 'direct' | 'oid4vp'): Promise<{ nonce: string; expiresAt: Date }> {
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

  /** Consumes a nonce atomically: ok the first time, replayed after, unknown or expired otherwise. */
  async consume(nonce: string): Promise<NonceVerdict> {
    if (nonce.length > 200) return 'unknown'
    const now = new Date()
    const writer = this.db.sqliteWriter
    const count = writer
      ? // one guarded UPDATE on the writer thread (its commit, like a report's, off the event loop),
        // not the query compiler's read-then-write
        (
          await writer.run([
            {
              sql: 'UPDATE "VerifierNonce" SET "consumedAt" = ? WHERE "nonce" = ? AND "consumedAt" IS NULL AND "expiresAt" > ?',
              params: [sqliteDateTime(now), nonce, sqliteDateTime(now)],
            },
          ])
        )[0]
      : (
          await this.db.client.verifierNonce.updateMany({
            where: { nonce, consumedAt: null, expiresAt: { gt: now } },
            data: { consumedAt: now },
          })
        ).count
    if (Number(count) === 1) return 'ok'
    const row = await this.db.client.verifierNonce.findUnique({ where: { nonce } })
    if (!row) return 'unknown'
    return row.consumedAt ? 'replayed' : 'expired'
  }
}
