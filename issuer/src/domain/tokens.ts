import { createHash, createHmac, randomBytes } from 'node:crypto'

/** A random opaque token (session cookie, API token, nonce): 32 bytes, base64url, with a prefix. */
export function randomToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}

/** SHA-256 hex of a token: what the database stores instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** HMAC-SHA-256 of a label under the deployment secret (deterministic per-record secrets). */
export function deriveSecret(secret: Uint8Array, label: string): Buffer {
  return createHmac('sha256', secret).update(label).digest()
}

/** The pre-authorised code of a milestone offer (re-derivable, so an idempotent retry returns it). */
export function preAuthorizedCodeFor(secret: Uint8Array, milestoneId: string): string {
  return deriveSecret(secret, `pre-authorized_code:${milestoneId}`).toString('base64url')
}

/** The transaction code (6 digits) the staff hands to the holder out of band. */
export function txCodeFor(secret: Uint8Array, milestoneId: string): string {
  const value = deriveSecret(secret, `tx_code:${milestoneId}`).readUInt32BE(0) % 1_000_000
  return value.toString().padStart(6, '0')
}

/** Length of the transaction code. */
export const TX_CODE_LENGTH = 6
