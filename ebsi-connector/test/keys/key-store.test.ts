import { createPublicKey, randomBytes, verify } from 'node:crypto'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { recoverAddress, computeAddress } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  KeyEnvelopeInvalid,
  KeyNotFound,
  KeyTypeMismatch,
  PrismaKeyStore,
  jwkThumbprint,
} from '../../src/keys/index.ts'

describe('PrismaKeyStore', () => {
  let tmp: TestDatabase
  let db: Db<'issuer'>
  const kek = randomBytes(32)

  beforeAll(async () => {
    tmp = tempSqliteDatabase()
    db = await createDb({ service: 'issuer', url: tmp.url })
  })
  afterAll(async () => {
    await db.close()
    await tmp.dispose()
  })

  it('creates keys whose id is the RFC 7638 thumbprint and signs ES256 verifiably', async () => {
    const keys = new PrismaKeyStore({ db: db.client, kek, owner: 'owner-a' })
    const info = await keys.createKey({ keyType: 'Secp256r1', alias: 'assertion' })
    expect(info.kid).toBe(jwkThumbprint(info.publicKeyJwk))
    expect(info.publicKeyHex).toMatch(/^0x04[0-9a-f]{128}$/)
    const signer = await keys.getSigner(info.kid)
    const data = new TextEncoder().encode('hello')
    const signature = await signer.sign(data)
    const publicKey = createPublicKey({ key: info.publicKeyJwk, format: 'jwk' })
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true)
    expect((await keys.findKeyByAlias('assertion'))?.kid).toBe(info.kid)
    await expect(signer.signDigest(new Uint8Array(32))).rejects.toBeInstanceOf(KeyTypeMismatch)
  })

  it('signs Ethereum digests with a secp256k1 key (recoverable to its address)', async () => {
    const keys = new PrismaKeyStore({ db: db.client, kek, owner: 'owner-a' })
    const info = await keys.createKey({ keyType: 'Secp256k1' })
    const signer = await keys.getSigner(info.kid)
    const digest = randomBytes(32)
    const sig = await signer.signDigest(digest)
    expect(recoverAddress(digest, { r: sig.r, s: sig.s, yParity: sig.yParity })).toBe(
      computeAddress(info.publicKeyHex),
    )
    const jwt = await signer.signJwt({ iss: 'x' }, { kid: 'k' })
    expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString())).toEqual({
      typ: 'JWT',
      kid: 'k',
      alg: 'ES256K',
    })
  })

  it("isolates owners: owner B can neither read, list, sign with nor delete owner A's key", async () => {
    const a = new PrismaKeyStore({ db: db.client, kek, owner: 'tenant-a' })
    const b = a.forOwner('tenant-b')
    const key = await a.createKey({ keyType: 'Secp256r1' })
    await expect(b.getKey(key.kid)).rejects.toBeInstanceOf(KeyNotFound)
    await expect(b.getSigner(key.kid)).rejects.toBeInstanceOf(KeyNotFound)
    expect((await b.listKeys()).map((k) => k.kid)).not.toContain(key.kid)
    expect(await b.deleteKey(key.kid)).toBe(false)
    expect((await a.getKey(key.kid)).kid).toBe(key.kid)
  })

  it('refuses a tampered envelope, an envelope moved to another owner, and a wrong KEK', async () => {
    const a = new PrismaKeyStore({ db: db.client, kek, owner: 'tenant-t' })
    const key = await a.createKey({ keyType: 'Secp256k1' })
    const row = await db.client.storedKey.findUniqueOrThrow({ where: { kid: key.kid } })
    const parts = row.encryptedPrivateKey.split('.')
    const ct = Buffer.from(parts[2]!, 'base64url')
    ct[0] = ct[0]! ^ 0xff
    parts[2] = ct.toString('base64url')
    await db.client.storedKey.update({
      where: { kid: key.kid },
      data: { encryptedPrivateKey: parts.join('.') },
    })
    await expect(a.getSigner(key.kid)).rejects.toBeInstanceOf(KeyEnvelopeInvalid)

    const other = await a.createKey({ keyType: 'Secp256r1' })
    await db.client.storedKey.update({ where: { kid: other.kid }, data: { owner: 'tenant-u' } })
    await expect(a.forOwner('tenant-u').getSigner(other.kid)).rejects.toBeInstanceOf(KeyEnvelopeInvalid)

    const third = await a.createKey({ keyType: 'Secp256r1' })
    const wrongKek = new PrismaKeyStore({ db: db.client, kek: randomBytes(32), owner: 'tenant-t' })
    await expect(wrongKek.getSigner(third.kid)).rejects.toBeInstanceOf(KeyEnvelopeInvalid)
  })

  it('imports an existing private key idempotently', async () => {
    const a = new PrismaKeyStore({ db: db.client, kek, owner: 'tenant-i' })
    const priv = randomBytes(32)
    const first = await a.importKey({ keyType: 'Secp256k1', privateKey: priv })
    const second = await a.importKey({ keyType: 'Secp256k1', privateKey: priv })
    expect(second.kid).toBe(first.kid)
    expect(await a.deleteKey(first.kid)).toBe(true)
    await expect(a.getKey(first.kid)).rejects.toBeInstanceOf(KeyNotFound)
  })
})
