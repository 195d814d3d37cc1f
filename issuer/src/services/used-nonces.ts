import type { IssuerContext } from './context.ts'

/**
 * How long past its expiry a used c_nonce's row is kept. The expiry travels inside the MAC'd nonce,
 * so an expired nonce is refused by itself and its row is needed only until then — but a proof
 * checked just before the expiry reaches its signing transaction (group commit, a slow database)
 * a moment later. Were the first use's row pruned before a second use, checked as early, reached
 * its insert, the second would go through. This margin is far beyond any such delay.
 */
export const USED_NONCE_GRACE_MS = 10 * 60_000

/**
 * Deletes the UsedNonce rows of c_nonces that expired more than the grace period ago. One guarded
 * DELETE: idempotent, and safe when every instance on the database runs it (a row goes once, to
 * whichever gets there first). No index on `expiresAt`: kept pruned, the table holds only the last
 * few minutes' nonces, and an index would cost every issuance a second write.
 * @returns how many rows were deleted
 */
export async function pruneUsedNonces(ctx: IssuerContext): Promise<number> {
  const { count } = await ctx.db.usedNonce.deleteMany({
    where: { expiresAt: { lt: new Date(ctx.now().getTime() - USED_NONCE_GRACE_MS) } },
  })
  return count
}
