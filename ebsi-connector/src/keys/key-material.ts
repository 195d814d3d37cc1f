import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
} from 'node:crypto'
import type { EcPublicJwk } from '../core/index.ts'
import { KeyTypeUnsupported } from './errors.ts'

/** The two key types of the EBSI legal-entity model (Veramo's names). */
export type KeyType = 'Secp256k1' | 'Secp256r1'

/** A public EC JWK (secp256k1 or P-256), as the shared core defines it. */
export type { EcPublicJwk }

/** JOSE curve name of a key type. */
export function curveOf(keyType: KeyType): EcPublicJwk['crv'] {
  if (keyType === 'Secp256k1') return 'secp256k1'
  if (keyType === 'Secp256r1') return 'P-256'
  throw new KeyTypeUnsupported(keyType)
}

/** JOSE algorithm of a key type (ES256K / ES256). */
export function algOf(keyType: KeyType): 'ES256K' | 'ES256' {
  return keyType === 'Secp256k1' ? 'ES256K' : 'ES256'
}

/** Key type of a JOSE curve name. */
export function keyTypeOfCurve(crv: string): KeyType {
  if (crv === 'secp256k1') return 'Secp256k1'
  if (crv === 'P-256') return 'Secp256r1'
  throw new KeyTypeUnsupported(crv)
}

/** A generated key pair: the 32-byte private scalar and the public JWK. */
export interface GeneratedKey {
  keyType: KeyType
  privateKey: Uint8Array
  publicJwk: EcPublicJwk
}

/** Generates a key pair of the given type with the platform's CSPRNG. */
export function generateKey(keyType: KeyType): GeneratedKey {
  const namedCurve = keyType === 'Secp256k1' ? 'secp256k1' : 'prime256v1'
  const { privateKey } = generateKeyPairSync('ec', { namedCurve })
  const jwk = privateKey.export({ format: 'jwk' })
  return {
    keyType,
    privateKey: new Uint8Array(Buffer.from(jwk.d as string, 'base64url')),
    publicJwk: { kty: 'EC', crv: curveOf(keyType), x: jwk.x as string, y: jwk.y as string },
  }
}

/** Derives the public JWK from a 32-byte private scalar. */
export function publicJwkFromPrivate(keyType: KeyType, privateKey: Uint8Array): EcPublicJwk {
  const jwk = createPublicKey(privateKeyObject(keyType, privateKey)).export({ format: 'jwk' })
  return { kty: 'EC', crv: curveOf(keyType), x: jwk.x as string, y: jwk.y as string }
}

/** Node KeyObject for a private scalar (public part derived). */
export function privateKeyObject(keyType: KeyType, privateKey: Uint8Array): KeyObject {
  if (privateKey.length !== 32) throw new TypeError('private key must be 32 bytes')
  const crv = curveOf(keyType)
  // A JWK import needs x/y beside d: derive the public point from the scalar first.
  const ecdh = createECDH(crv === 'secp256k1' ? 'secp256k1' : 'prime256v1')
  ecdh.setPrivateKey(Buffer.from(privateKey))
  const pub = ecdh.getPublicKey(undefined, 'uncompressed')
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv,
      d: Buffer.from(privateKey).toString('base64url'),
      x: pub.subarray(1, 33).toString('base64url'),
      y: pub.subarray(33, 65).toString('base64url'),
    },
  })
}

/** `0x04‖x‖y` hex of a public JWK (uncompressed SEC1). */
export function publicKeyHexOf(jwk: EcPublicJwk): string {
  return `0x04${Buffer.from(jwk.x, 'base64url').toString('hex')}${Buffer.from(jwk.y, 'base64url').toString('hex')}`
}

/** Public JWK from `0x04‖x‖y` hex. */
export function publicJwkFromHex(keyType: KeyType, hex: string): EcPublicJwk {
  const bytes = Buffer.from(hex.replace(/^0x/, ''), 'hex')
  if (bytes.length !== 65 || bytes[0] !== 4)
    throw new TypeError('public key must be uncompressed SEC1 (0x04‖x‖y)')
  return {
    kty: 'EC',
    crv: curveOf(keyType),
    x: bytes.subarray(1, 33).toString('base64url'),
    y: bytes.subarray(33, 65).toString('base64url'),
  }
}

/** ECDSA over SHA-256 of `data`, signature as JOSE r‖s (64 bytes). */
export function signEcdsaSha256(keyType: KeyType, privateKey: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(
    nodeSign('sha256', data, { key: privateKeyObject(keyType, privateKey), dsaEncoding: 'ieee-p1363' }),
  )
}
