import { secp256k1 } from '@noble/curves/secp256k1.js'
import { p256 } from '@noble/curves/nist.js'
import { computeAddress, getAddress } from 'ethers'
import { base64urlDecode, base64urlEncode, bytesToHex, hexToBytes } from './encoding.ts'
import { PublicKeyInvalid } from './errors.ts'
import { sha256 } from './hashing.ts'

/** The public members of an EC JWK as EBSI uses them (secp256k1 or P-256). */
export interface EcPublicJwk {
  kty: 'EC'
  crv: 'secp256k1' | 'P-256'
  x: string
  y: string
  [member: string]: unknown
}

/**
 * RFC 7638 JWK thumbprint (SHA-256, base64url): the verification-method id EBSI uses.
 * Only the required members of the key type enter the hash.
 */
export function jwkThumbprint(jwk: { kty: string; [member: string]: unknown }): string {
  let required: Record<string, unknown>
  if (jwk.kty === 'EC') required = { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
  else if (jwk.kty === 'OKP') required = { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
  else if (jwk.kty === 'RSA') required = { e: jwk.e, kty: jwk.kty, n: jwk.n }
  else throw new PublicKeyInvalid(`unsupported JWK "kty" ${String(jwk.kty)}`)
  for (const [name, value] of Object.entries(required)) {
    if (typeof value !== 'string') throw new PublicKeyInvalid(`JWK member "${name}" missing or not a string`)
  }
  // Members in lexicographic order, no whitespace (RFC 7638 §3.2); the literals above are ordered.
  return base64urlEncode(sha256(JSON.stringify(required)))
}

/**
 * secp256k1 public key (hex, compressed 0x02/0x03 or uncompressed 0x04) → uncompressed 65 bytes.
 * @throws PublicKeyInvalid
 */
export function secp256k1PublicKeyBytes(publicKey: string | Uint8Array): Uint8Array {
  try {
    const bytes = typeof publicKey === 'string' ? hexToBytes(publicKey) : publicKey
    return secp256k1.Point.fromBytes(bytes).toBytes(false)
  } catch (error) {
    throw new PublicKeyInvalid('not a secp256k1 public key', { cause: error })
  }
}

/** secp256k1 public key (hex or bytes) → JWK {kty,crv,x,y}. @throws PublicKeyInvalid */
export function secp256k1PublicKeyToJwk(publicKey: string | Uint8Array): EcPublicJwk {
  const bytes = secp256k1PublicKeyBytes(publicKey)
  return {
    kty: 'EC',
    crv: 'secp256k1',
    x: base64urlEncode(bytes.slice(1, 33)),
    y: base64urlEncode(bytes.slice(33, 65)),
  }
}

/** EC JWK → uncompressed public key bytes (validated on its curve). @throws PublicKeyInvalid */
export function ecJwkToPublicKeyBytes(jwk: unknown): Uint8Array {
  const key = jwk as Partial<EcPublicJwk> | null
  if (!key || typeof key !== 'object' || key.kty !== 'EC')
    throw new PublicKeyInvalid('JWK must have kty "EC"')
  if (typeof key.x !== 'string' || typeof key.y !== 'string')
    throw new PublicKeyInvalid('JWK "x"/"y" missing')
  const x = base64urlDecode(key.x)
  const y = base64urlDecode(key.y)
  if (x.length !== 32 || y.length !== 32) throw new PublicKeyInvalid('JWK "x"/"y" must be 32 bytes')
  const bytes = new Uint8Array(65)
  bytes[0] = 4
  bytes.set(x, 1)
  bytes.set(y, 33)
  try {
    if (key.crv === 'secp256k1') secp256k1.Point.fromBytes(bytes).assertValidity()
    else if (key.crv === 'P-256') p256.Point.fromBytes(bytes).assertValidity()
    else throw new Error(`unsupported curve ${String(key.crv)}`)
  } catch (error) {
    throw new PublicKeyInvalid('JWK is not a point on its curve', { cause: error })
  }
  return bytes
}

/**
 * Ethereum address (EIP-55 checksummed) of a secp256k1 public key given as hex, bytes or JWK.
 * @throws PublicKeyInvalid
 */
export function ethereumAddressFromPublicKey(publicKey: string | Uint8Array | EcPublicJwk): string {
  const bytes =
    typeof publicKey === 'object' && !(publicKey instanceof Uint8Array)
      ? (() => {
          if (publicKey.crv !== 'secp256k1')
            throw new PublicKeyInvalid('an Ethereum address needs a secp256k1 key')
          return ecJwkToPublicKeyBytes(publicKey)
        })()
      : secp256k1PublicKeyBytes(publicKey)
  return getAddress(computeAddress(bytesToHex(bytes)))
}

/** Normalises an address to its EIP-55 form, or undefined when it is not one. */
export function normalizeAddress(address: unknown): string | undefined {
  if (typeof address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(address)) return undefined
  try {
    return getAddress(address.toLowerCase())
  } catch {
    return undefined
  }
}
