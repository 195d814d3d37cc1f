import { createHash } from 'node:crypto'
import { IdempotencyKeyReused } from '../errors.ts'
import {
  type IssuerContext,
  type IssuerTx,
  inTransaction,
  isUniqueViolation,
  type Principal,
} from './context.ts'

export interface StoredResponse {
  status: number
  body: Record<string, unknown>
}

export const requestHashOf = (request: unknown) =>
  createHash('sha256').update(JSON.stringify(request)).digest('hex')
export const principalKeyOf = (by: Principal) => `${by.authorityId}:${by.actorType}:${by.actorId}`

/**
 * Runs a state-changing operation at most once per (principal, Idempotency-Key): the record of the
 * response is inserted in the operation's own transaction, so a retry — sequential, concurrent, or
 * after a crash — either finds the committed response or runs the operation for the first time. Two
 * concurrent first attempts race on the primary key; the loser's transaction rolls back and it
 * returns the winner's response.
 * Stored responses hold no secrets (offers are re-derived from the milestone id on the way out).
 */
export async function idempotent(
  ctx: IssuerContext,
  by: Principal,
  key: string | undefined,
  request: unknown,
  operation: (tx: IssuerTx) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!key) return { ...(await inTransaction(ctx, operation)), replayed: false }
  const principal = principalKeyOf(by)
  const requestHash = requestHashOf(request)
  // No read first: the record's primary key decides. A replay runs into the unique violation, its
  // transaction rolls back, and the stored response is returned — one round trip on the common path.
  try {
    const response = await inTransaction(ctx, async (tx) => {
      const result = await operation(tx)
      await tx.idempotencyRecord.create({
        data: {
          principal,
          key,
          requestHash,
          status: result.status,
          responseJson: JSON.stringify(result.body),
        },
      })
      return result
    })
    return { ...response, replayed: false }
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    const winner = await ctx.store.idempotencyRecord(principal, key)
    if (!winner) throw error
    return replay(winner, requestHash)
  }
}

function replay(record: { requestHash: string; status: number; responseJson: string }, requestHash: string) {
  if (record.requestHash !== requestHash)
    throw new IdempotencyKeyReused('this Idempotency-Key was used with a different request')
  return {
    status: record.status,
    body: JSON.parse(record.responseJson) as Record<string, unknown>,
    replayed: true,
  }
}

/** The stored response for a key, if any (answers a retry even when validation would now fail). */
export async function storedResponse(ctx: IssuerContext, by: Principal, key: string, request: unknown) {
  const record = await ctx.store.idempotencyRecord(principalKeyOf(by), key)
  return record ? replay(record, requestHashOf(request)) : undefined
}
