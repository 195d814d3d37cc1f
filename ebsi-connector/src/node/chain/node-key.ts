import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto'
import { p256 } from '@noble/curves/nist.js'
import { jwkThumbprint } from '../../core/index.ts'
import { openPrivateKey, sealPrivateKey } from '../../keys/envelope.ts'
import type { LedgerDb } from '../types.ts'

/** Owner of the node's own key in StoredKey. */
export const NODE_KEY_OWNER = 'ledger-node'
const ALIAS = 'node-signing'

/** The node's ES256 key: signs blocks and access tokens; its public JWK is at /authorisation/v4/jwks. */
export interface NodeKey {
  kid: string
  publicJwk: { kty: string; crv: string; x: string; y: string; kid: string; alg: 'ES256'; use: 'sig' }
  privateKey: KeyObject
  publicKey: KeyObject
  /** ES256 over bytes → base64url(r‖s). */
  sign(data: Uint8Array): string
}

/**
 * Loads the node key from StoredKey, generating and sealing one on first start. The public key is
 * derived from the opened private key (the row's public member is not trusted), and must hash to
 * the row's kid, which the envelope's authenticated data binds.
 */
export async function loadNodeKey(db: LedgerDb, kek: Uint8Array): Promise<NodeKey> {
  const stored = await db.storedKey.findFirst({ where: { owner: NODE_KEY_OWNER, alias: ALIAS } })
  if (stored) {
    const d = openPrivateKey(kek, stored.encryptedPrivateKey, { kid: stored.kid, owner: NODE_KEY_OWNER })
    const point = p256.getPublicKey(d, false)
    const publicJwk = {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(point.subarray(1, 33)).toString('base64url'),
      y: Buffer.from(point.subarray(33, 65)).toString('base64url'),
    }
    if (jwkThumbprint(publicJwk) !== stored.kid)
      throw new Error(`the stored node key ${stored.kid} does not match its private key`)
    const privateKey = createPrivateKey({
      key: { ...publicJwk, d: Buffer.from(d).toString('base64url') },
      format: 'jwk',
    })
    return nodeKeyOf(stored.kid, privateKey)
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = privateKey.export({ format: 'jwk' }) as {
    kty: string
    crv: string
    x: string
    y: string
    d: string
  }
  const kid = jwkThumbprint(jwk)
  await db.storedKey.create({
    data: {
      kid,
      owner: NODE_KEY_OWNER,
      alias: ALIAS,
      keyType: 'P-256',
      publicKeyHex: JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }),
      encryptedPrivateKey: sealPrivateKey(kek, Buffer.from(jwk.d, 'base64url'), {
        kid,
        owner: NODE_KEY_OWNER,
      }),
    },
  })
  return nodeKeyOf(kid, privateKey)
}

function nodeKeyOf(kid: string, privateKey: KeyObject): NodeKey {
  const publicKey = createPublicKey(privateKey)
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string }
  return {
    kid,
    publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' },
    privateKey,
    publicKey,
    sign: (data) =>
      sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url'),
  }
}

/** Verifies an ES256 signature made by `sign` of a NodeKey. */
export function verifyNodeSignature(publicKey: KeyObject, data: Uint8Array, signature: string): boolean {
  try {
    return verify(
      'sha256',
      data,
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    )
  } catch {
    return false
  }
}
