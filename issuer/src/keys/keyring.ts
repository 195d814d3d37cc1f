import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { jwkThumbprint } from '@flora/ebsi-connector/core'

/** A public EC JWK (members RFC 7638 hashes). */
export interface PublicJwk {
  kty: 'EC'
  crv: 'P-256' | 'secp256k1'
  x: string
  y: string
}

/**
 * One signing key, as @flora/ebsi-connector's `Signer` exposes it (structural subset), so that an
 * HSM/KMS signer fits too.
 */
export interface SigningKey {
  readonly kid: string
  readonly alg: 'ES256' | 'ES256K'
  readonly publicKeyJwk: PublicJwk
  sign(data: Uint8Array): Promise<Uint8Array>
}

/** Public facts of a stored key. */
export interface StoredKeyInfo {
  kid: string
  keyType: 'Secp256k1' | 'Secp256r1'
  publicKeyJwk: PublicJwk
}

/** The part of @flora/ebsi-connector's `KeyStore` the issuer uses (one store per owner). */
export interface OwnerKeyStore {
  createKey(args: { keyType: 'Secp256k1' | 'Secp256r1'; alias?: string }): Promise<StoredKeyInfo>
  getSigner(kid: string): Promise<SigningKey>
}

/** Hands out each authority's keys; an authority (owner) sees only its own. */
export interface AuthorityKeyring {
  /** Creates the secp256k1 (ledger transactions) and P-256 (ES256 assertions) keys of an authority. */
  createAuthorityKeys(authorityId: string): Promise<{ controller: StoredKeyInfo; assertion: StoredKeyInfo }>
  /** The signer of a key of the owner (cached: unsealing happens once per process). */
  signer(owner: string, kid: string): Promise<SigningKey>
}

/** A keyring over per-owner key stores (the Prisma-backed encrypted store in production). */
export function createKeyring(storeFor: (owner: string) => OwnerKeyStore): AuthorityKeyring {
  const signers = new Map<string, Promise<SigningKey>>()
  return {
    async createAuthorityKeys(authorityId) {
      const store = storeFor(authorityId)
      const controller = await store.createKey({ keyType: 'Secp256k1', alias: 'controller' })
      const assertion = await store.createKey({ keyType: 'Secp256r1', alias: 'assertion' })
      return { controller, assertion }
    },
    signer(owner, kid) {
      const key = `${owner}\u0000${kid}`
      let signer = signers.get(key)
      if (!signer) {
        signer = storeFor(owner).getSigner(kid)
        signer.catch(() => signers.delete(key))
        signers.set(key, signer)
      }
      return signer
    },
  }
}

/**
 * A key store held in memory (tests, and the benchmark's baseline). Same contract as the encrypted
 * Prisma store, without persistence.
 */
export class MemoryKeyStore implements OwnerKeyStore {
  static readonly all = new Map<string, Map<string, { info: StoredKeyInfo; key: KeyObject }>>()
  constructor(readonly owner: string) {}
  async createKey(args: { keyType: 'Secp256k1' | 'Secp256r1'; alias?: string }): Promise<StoredKeyInfo> {
    const namedCurve = args.keyType === 'Secp256k1' ? 'secp256k1' : 'prime256v1'
    const { privateKey } = generateKeyPairSync('ec', { namedCurve })
    const jwk = privateKey.export({ format: 'jwk' })
    const publicKeyJwk: PublicJwk = {
      kty: 'EC',
      crv: args.keyType === 'Secp256k1' ? 'secp256k1' : 'P-256',
      x: jwk.x as string,
      y: jwk.y as string,
    }
    const info = { kid: jwkThumbprint({ ...publicKeyJwk }), keyType: args.keyType, publicKeyJwk }
    const keys = MemoryKeyStore.all.get(this.owner) ?? new Map()
    keys.set(info.kid, { info, key: createPrivateKey({ key: jwk, format: 'jwk' }) })
    MemoryKeyStore.all.set(this.owner, keys)
    return info
  }
  async getSigner(kid: string): Promise<SigningKey> {
    const entry = MemoryKeyStore.all.get(this.owner)?.get(kid)
    if (!entry) throw new Error(`key ${kid} not found for ${this.owner}`)
    return {
      kid,
      alg: entry.info.keyType === 'Secp256k1' ? 'ES256K' : 'ES256',
      publicKeyJwk: entry.info.publicKeyJwk,
      sign: async (data) =>
        new Uint8Array(sign('sha256', data, { key: entry.key, dsaEncoding: 'ieee-p1363' })),
    }
  }
}

/** Signs a compact JWS with a signing key. */
export async function signJwt(
  key: Pick<SigningKey, 'sign' | 'alg'>,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): Promise<string> {
  const input = `${b64(JSON.stringify({ ...header, alg: key.alg }))}.${b64(JSON.stringify(payload))}`
  const signature = await key.sign(Buffer.from(input))
  return `${input}.${Buffer.from(signature).toString('base64url')}`
}
const b64 = (text: string) => Buffer.from(text).toString('base64url')
