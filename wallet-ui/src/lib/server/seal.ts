import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * What a staff session's service token is sealed for: its session, so that a sealed token copied onto
 * another session row does not open.
 */
export const serviceTokenContext = (sessionId: string): string => `wallet-session:${sessionId}`

/** AES-256-GCM envelope for small secrets at rest (the services' session tokens), bound to `context`. */
export function seal(kek: Uint8Array, plaintext: string, context: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', kek, iv)
  cipher.setAAD(Buffer.from(context))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
}

/** Opens what {@link seal} produced; throws when it was tampered with or sealed for another context. */
export function unseal(kek: Uint8Array, sealed: string, context: string): string {
  const [version, iv, body, tag] = sealed.split('.')
  if (version !== 'v1' || !iv || body === undefined || !tag) throw new Error('sealed value malformed')
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'))
  decipher.setAAD(Buffer.from(context))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}
