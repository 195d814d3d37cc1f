import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * Private keys at rest: AES-256-GCM under a key-encryption key from configuration. The envelope is
 * `v1.<iv>.<ciphertext>.<tag>` (base64url). The additional authenticated data binds the ciphertext
 * to its key id and owner, so an envelope copied onto another row (another authority) fails to open.
 */
export class KeyEnvelopeInvalid extends Error {
  readonly code = 'ERR_KEY_ENVELOPE_INVALID'
  constructor() {
    super('private key envelope cannot be opened (wrong key-encryption key, or tampered)')
    this.name = 'KeyEnvelopeInvalid'
  }
}

export function sealPrivateKey(
  kek: Uint8Array,
  plaintext: Uint8Array,
  context: { kid: string; owner: string },
): string {
  if (kek.length !== 32) throw new TypeError('key-encryption key must be 32 bytes')
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', kek, iv)
  cipher.setAAD(aad(context))
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return ['v1', iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.')
}

export function openPrivateKey(
  kek: Uint8Array,
  envelope: string,
  context: { kid: string; owner: string },
): Uint8Array {
  const [version, iv, ciphertext, tag] = envelope.split('.')
  if (version !== 'v1' || !iv || !ciphertext || !tag) throw new KeyEnvelopeInvalid()
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'))
    decipher.setAAD(aad(context))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return new Uint8Array(
      Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]),
    )
  } catch {
    throw new KeyEnvelopeInvalid()
  }
}

const aad = (context: { kid: string; owner: string }) =>
  Buffer.from(`flora-key:${context.owner}:${context.kid}`)
