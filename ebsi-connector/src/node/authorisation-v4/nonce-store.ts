import { PresentationInvalid } from '../errors.ts'
import type { LedgerDb } from '../types.ts'

/** VP nonces are single-use; a used nonce is remembered (persisted) for this long. */
export const NONCE_TTL_SECONDS = 600

/**
 * Marks a VP nonce as used. @throws PresentationInvalid when it was used before (replay).
 */
export async function consumeNonce(db: LedgerDb, nonce: string, now: number): Promise<void> {
  try {
    await db.authNonceUsed.create({ data: { nonce, expiresAt: now + NONCE_TTL_SECONDS } })
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002' || /unique/i.test(String((error as Error).message))) {
      throw new PresentationInvalid('"nonce" has already been used')
    }
    throw error
  }
  if (Math.random() < 0.01) await db.authNonceUsed.deleteMany({ where: { expiresAt: { lt: now } } })
}
