import type { IKey, ManagedKeyInfo, MinimalImportableKey, TKeyType } from '@veramo/core'
import { AbstractKeyManagementSystem, AbstractKeyStore } from '@veramo/key-manager'
import { type KeyInfo, KeyNotFound, type KeyStore, type KeyType, KeyTypeUnsupported } from '../keys/index.ts'

/** Name under which the Prisma-backed KMS is registered in a Veramo KeyManager. */
export const PRISMA_KMS = 'prisma'

function keyTypeOf(type: TKeyType): KeyType {
  if (type === 'Secp256k1' || type === 'Secp256r1') return type as KeyType
  throw new KeyTypeUnsupported(type)
}

function toManaged(info: KeyInfo, kms = PRISMA_KMS): ManagedKeyInfo {
  return {
    kid: info.kid,
    kms,
    type: info.keyType,
    publicKeyHex: info.publicKeyHex.replace(/^0x/, ''),
    meta: {
      algorithms: [info.keyType === 'Secp256k1' ? 'ES256K' : 'ES256'],
      publicKeyJwk: info.publicKeyJwk,
    },
  }
}

/**
 * Veramo key-management system over the encrypted {@link KeyStore}: private keys never leave it;
 * `sign` returns the base64url JOSE signature (r‖s) Veramo's JWT code expects.
 */
export class PrismaKeyManagementSystem extends AbstractKeyManagementSystem {
  constructor(readonly keys: KeyStore) {
    super()
  }

  async createKey(args: { type: TKeyType; meta?: unknown }): Promise<ManagedKeyInfo> {
    return toManaged(await this.keys.createKey({ keyType: keyTypeOf(args.type) }))
  }

  async importKey(args: Exclude<MinimalImportableKey, 'kms'>): Promise<ManagedKeyInfo> {
    const privateKey = Buffer.from(args.privateKeyHex.replace(/^0x/, ''), 'hex')
    return toManaged(
      await this.keys.importKey({ keyType: keyTypeOf(args.type), privateKey: new Uint8Array(privateKey) }),
    )
  }

  async listKeys(): Promise<ManagedKeyInfo[]> {
    return (await this.keys.listKeys()).map((k) => toManaged(k))
  }

  async deleteKey(args: { kid: string }): Promise<boolean> {
    return this.keys.deleteKey(args.kid)
  }

  async sign(args: { keyRef: Pick<IKey, 'kid'>; algorithm?: string; data: Uint8Array }): Promise<string> {
    const signer = await this.keys.getSigner(args.keyRef.kid)
    if (args.algorithm && args.algorithm !== signer.alg)
      throw new Error(`not_supported: key ${args.keyRef.kid} signs ${signer.alg}, not ${args.algorithm}`)
    return Buffer.from(await signer.sign(args.data)).toString('base64url')
  }

  async sharedSecret(): Promise<string> {
    throw new Error('not_supported: ECDH is not offered by the EBSI key store')
  }
}

/** Veramo key metadata store reading the same `StoredKey` rows (the KMS writes them). */
export class PrismaVeramoKeyStore extends AbstractKeyStore {
  constructor(readonly keys: KeyStore) {
    super()
  }

  async importKey(_args: Partial<IKey>): Promise<boolean> {
    // The KMS already stored the row when it created/imported the key.
    return true
  }

  async getKey(args: { kid: string }): Promise<IKey> {
    try {
      return toManaged(await this.keys.getKey(args.kid)) as IKey
    } catch (error) {
      if (error instanceof KeyNotFound) throw new Error(`not_found: key ${args.kid}`)
      throw error
    }
  }

  async deleteKey(args: { kid: string }): Promise<boolean> {
    return this.keys.deleteKey(args.kid)
  }

  async listKeys(): Promise<ManagedKeyInfo[]> {
    return (await this.keys.listKeys()).map((k) => toManaged(k))
  }
}
