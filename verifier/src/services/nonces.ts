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
    const sqlite = this.db.sqlite
    if (sqlite)
      await sqlite.write(() =>
        sqlite
          .statement(
            'INSERT INTO "VerifierNonce" ("nonce","purpose","expiresAt","createdAt") VALUES (?,?,?,?)',
          )
          .run(nonce, purpose, sqliteDateTime(expiresAt), sqliteDateTime(new Date())),
      )
    else await this.db.client.verifierNonce.create({ data: { nonce, purpose, expiresAt } })
    return { nonce, expiresAt }
  }

  /** Consumes a nonce atomically: ok the first time, replayed after, unknown or expired otherwise. */
  async consume(nonce: string): Promise<NonceVerdict> {
    if (nonce.length > 200) return 'unknown'
    const now = new Date()
    const sqlite = this.db.sqlite
    const count = sqlite
      ? // one guarded UPDATE on the connection under Prisma, not the query compiler's read-then-write
        await sqlite.write(
          () =>
            sqlite
              .statement(
                'UPDATE "VerifierNonce" SET "consumedAt" = ? WHERE "nonce" = ? AND "consumedAt" IS NULL AND "expiresAt" > ?',
              )
              .run(sqliteDateTime(now), nonce, sqliteDateTime(now)).changes,
        )
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
