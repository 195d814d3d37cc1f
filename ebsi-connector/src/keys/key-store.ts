import { openPrivateKey, sealPrivateKey } from './envelope.ts'
import { KeyNotFound, KeyTypeUnsupported } from './errors.ts'
import {
  type EcPublicJwk,
  generateKey,
  type KeyType,
  publicJwkFromHex,
  publicJwkFromPrivate,
  publicKeyHexOf,
} from './key-material.ts'
import { LocalSigner, type Signer } from './signer.ts'
import { jwkThumbprint } from './thumbprint.ts'

/** A row of the `StoredKey` model every service database has (prisma/models/_common.prisma). */
export interface StoredKeyRow {
  kid: string
  owner: string
  alias: string | null
  keyType: string
  publicKeyHex: string
  encryptedPrivateKey: string
  createdAt: Date
}

/**
 * The part of a Prisma client this store uses, typed structurally so that any service's generated
 * client (ledger, issuer, verifier, wallet; SQLite or PostgreSQL) fits.
 */
export interface StoredKeyDatabase {
  storedKey: {
    create(args: { data: Omit<StoredKeyRow, 'createdAt'> }): PromiseLike<StoredKeyRow>
    findFirst(args: {
      where: { owner: string; kid?: string; alias?: string }
    }): PromiseLike<StoredKeyRow | null>
    findMany(args: { where: { owner: string }; orderBy: { createdAt: 'asc' } }): PromiseLike<StoredKeyRow[]>
    deleteMany(args: { where: { owner: string; kid: string } }): PromiseLike<{ count: number }>
  }
}

/** Public facts about a stored key (never the private part). */
export interface KeyInfo {
  kid: string
  alias: string | null
  keyType: KeyType
  publicKeyHex: string
  publicKeyJwk: EcPublicJwk
  createdAt: Date
}

/** One owner's keys: create, import, list, sign through a {@link Signer}. */
export interface KeyStore {
  readonly owner: string
  createKey(args: { keyType: KeyType; alias?: string }): Promise<KeyInfo>
  importKey(args: { keyType: KeyType; privateKey: Uint8Array; alias?: string }): Promise<KeyInfo>
  /** @throws KeyNotFound when the key does not exist for this owner */
  getKey(kid: string): Promise<KeyInfo>
  findKeyByAlias(alias: string): Promise<KeyInfo | undefined>
  listKeys(): Promise<KeyInfo[]>
  /** @returns whether a key was deleted */
  deleteKey(kid: string): Promise<boolean>
  /** @throws KeyNotFound, KeyEnvelopeInvalid */
  getSigner(kid: string): Promise<Signer>
}

/** Options of {@link PrismaKeyStore}. */
export interface PrismaKeyStoreOptions {
  db: StoredKeyDatabase
  /** 32-byte key-encryption key (from configuration, or an HSM-unwrapped secret). */
  kek: Uint8Array
  /** Tenant whose keys this store sees: every read and delete filters on it. */
  owner: string
}

/**
 * Keys at rest in the `StoredKey` table, private parts sealed with AES-256-GCM bound to kid and
 * owner. The key id is the RFC 7638 thumbprint of the public key.
 *
 * @example
 * const keys = new PrismaKeyStore({ db: ledgerDb.client, kek, owner: 'bamf-dresden' })
 * const { kid } = await keys.createKey({ keyType: 'Secp256r1', alias: 'assertion' })
 * const jwt = await (await keys.getSigner(kid)).signJwt({ iss: did })
 */
export class PrismaKeyStore implements KeyStore {
  readonly owner: string
  readonly #db: StoredKeyDatabase
  readonly #kek: Uint8Array

  constructor(options: PrismaKeyStoreOptions) {
    if (options.kek.length !== 32) throw new TypeError('key-encryption key must be 32 bytes')
    if (!options.owner) throw new TypeError('owner is required')
    this.#db = options.db
    this.#kek = options.kek
    this.owner = options.owner
  }

  /** The same database and key-encryption key, another owner. */
  forOwner(owner: string): PrismaKeyStore {
    return new PrismaKeyStore({ db: this.#db, kek: this.#kek, owner })
  }

  async createKey(args: { keyType: KeyType; alias?: string }): Promise<KeyInfo> {
    const generated = generateKey(checkKeyType(args.keyType))
    return this.#store(args.keyType, generated.privateKey, generated.publicJwk, args.alias)
  }

  async importKey(args: { keyType: KeyType; privateKey: Uint8Array; alias?: string }): Promise<KeyInfo> {
    const keyType = checkKeyType(args.keyType)
    const publicJwk = publicJwkFromPrivate(keyType, args.privateKey)
    const existing = await this.#db.storedKey.findFirst({
      where: { owner: this.owner, kid: jwkThumbprint(publicJwk) },
    })
    if (existing) return toInfo(existing)
    return this.#store(keyType, args.privateKey, publicJwk, args.alias)
  }

  async getKey(kid: string): Promise<KeyInfo> {
    return toInfo(await this.#row(kid))
  }

  async findKeyByAlias(alias: string): Promise<KeyInfo | undefined> {
    const row = await this.#db.storedKey.findFirst({ where: { owner: this.owner, alias } })
    return row ? toInfo(row) : undefined
  }

  async listKeys(): Promise<KeyInfo[]> {
    const rows = await this.#db.storedKey.findMany({
      where: { owner: this.owner },
      orderBy: { createdAt: 'asc' },
    })
    return rows.map(toInfo)
  }

  async deleteKey(kid: string): Promise<boolean> {
    const { count } = await this.#db.storedKey.deleteMany({ where: { owner: this.owner, kid } })
    return count > 0
  }

  async getSigner(kid: string): Promise<Signer> {
    const row = await this.#row(kid)
    const info = toInfo(row)
    const privateKey = openPrivateKey(this.#kek, row.encryptedPrivateKey, { kid: row.kid, owner: row.owner })
    return new LocalSigner(info.kid, info.keyType, info.publicKeyJwk, privateKey)
  }

  async #row(kid: string): Promise<StoredKeyRow> {
    const row = await this.#db.storedKey.findFirst({ where: { owner: this.owner, kid } })
    if (!row) throw new KeyNotFound(kid)
    return row
  }

  async #store(
    keyType: KeyType,
    privateKey: Uint8Array,
    publicJwk: EcPublicJwk,
    alias?: string,
  ): Promise<KeyInfo> {
    const kid = jwkThumbprint(publicJwk)
    const row = await this.#db.storedKey.create({
      data: {
        kid,
        owner: this.owner,
        alias: alias ?? null,
        keyType,
        publicKeyHex: publicKeyHexOf(publicJwk),
        encryptedPrivateKey: sealPrivateKey(this.#kek, privateKey, { kid, owner: this.owner }),
      },
    })
    return toInfo(row)
  }
}

function checkKeyType(keyType: string): KeyType {
  if (keyType !== 'Secp256k1' && keyType !== 'Secp256r1') throw new KeyTypeUnsupported(keyType)
  return keyType
}

function toInfo(row: StoredKeyRow): KeyInfo {
  const keyType = checkKeyType(row.keyType)
  return {
    kid: row.kid,
    alias: row.alias,
    keyType,
    publicKeyHex: row.publicKeyHex,
    publicKeyJwk: publicJwkFromHex(keyType, row.publicKeyHex),
    createdAt: row.createdAt,
  }
}
