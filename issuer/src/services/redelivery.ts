/**
 * Re-delivery of a signed credential whose response never reached the wallet (a dropped connection,
 * a crashed app). Without it the offer is spent, the wallet never holds the credential, and the next
 * milestone of the case chains to a hash the wallet lacks.
 *
 * Rules:
 * - the wallet redeems the same offer again: pre-authorised code and transaction code (wrong codes
 *   count against the same limit), then a fresh c_nonce and a new proof JWT signed with the case's
 *   holder key — exactly the first redemption. Any other key is refused by the proof check;
 * - it receives the very credential that was signed (the same bytes): no second signature, status
 *   index or anchoring leaf, so the case chain stays as the issuer recorded it;
 * - only for FLORA_ISSUER_REDELIVERY_SECONDS after signing (`redeliverableUntil`) and only while the
 *   credential is not revoked;
 * - the signed credential is personal data and is kept for nothing else: `eraseExpiredCredentials`
 *   removes it once the window has passed (the hash, id and status entries stay); the retention
 *   scheduler (retention.ts) runs it.
 */
import { OAuthError } from '../errors.ts'
import type { CachedOffer } from './hot-cache.ts'
import type { IssuerContext } from './context.ts'
import { inTransaction, isUniqueViolation } from './context.ts'

/** What was signed for an offer, as delivered the first time. */
export interface DeliveredCredential {
  milestoneId: string
  credentialId: string
  jwt: string
  delivery: string
}

/** Whether an issued offer may still be fetched again at `now`. */
export function isRedeliverable(row: { state: string; redeliverableUntil: Date | null }, now: Date): boolean {
  return row.state === 'issued' && row.redeliverableUntil !== null && row.redeliverableUntil >= now
}

/**
 * The credential signed for an offer, for a holder who proved the case's key again with a fresh
 * nonce (the caller checked the proof). The nonce is consumed here, as signing would have.
 * @throws OAuthError when the credential was revoked, the window has passed, or the nonce was used
 */
export async function redeliverCredential(
  ctx: IssuerContext,
  offer: CachedOffer,
  proof: { nonce: string; nonceExpiresAt: Date },
): Promise<DeliveredCredential> {
  const row = await ctx.db.milestoneRecord.findUnique({
    where: { id: offer.id },
    select: {
      state: true,
      credentialJwt: true,
      credentialId: true,
      redeliverableUntil: true,
      delivery: true,
    },
  })
  if (!row || row.state === 'revoked')
    throw new OAuthError('invalid_request', 'the offer was withdrawn or its credential revoked')
  if (!isRedeliverable(row, ctx.now()) || !row.credentialJwt || !row.credentialId)
    throw new OAuthError(
      'invalid_request',
      'the credential of this offer was already issued and can no longer be fetched again',
    )
  try {
    await inTransaction(ctx, async (tx) => {
      await tx.usedNonce.create({ data: { nonce: proof.nonce, expiresAt: proof.nonceExpiresAt } })
      await tx.auditEvent.create({
        data: {
          authorityId: offer.authorityId,
          actorType: 'wallet',
          actorId: 'holder',
          action: 'credential.redeliver',
          caseId: offer.caseId,
          subjectId: offer.id,
          outcome: 'ok',
        },
      })
    })
  } catch (error) {
    if (isUniqueViolation(error))
      throw new OAuthError('invalid_nonce', 'c_nonce was already used; get a fresh one')
    throw error
  }
  return {
    milestoneId: offer.id,
    credentialId: row.credentialId,
    jwt: row.credentialJwt,
    delivery: row.delivery,
  }
}

/**
 * Erases the signed credentials whose re-delivery window has passed (and the acceptance tokens that
 * would deliver them). Idempotent; any number of instances may run it.
 * @returns how many were erased
 */
export async function eraseExpiredCredentials(ctx: IssuerContext): Promise<number> {
  const { count } = await ctx.db.milestoneRecord.updateMany({
    where: { redeliverableUntil: { lt: ctx.now() } },
    data: { credentialJwt: null, redeliverableUntil: null, acceptanceTokenHash: null },
  })
  return count
}
