import { type KeyObject, sign as nodeSign } from 'node:crypto'
import { SigningKey } from 'ethers'
import { KeyTypeMismatch } from './errors.ts'
import { algOf, type EcPublicJwk, type KeyType, privateKeyObject } from './key-material.ts'

/** A recoverable secp256k1 signature over a 32-byte digest (Ethereum style). */
export interface RecoverableSignature {
  r: `0x${string}`
  s: `0x${string}`
  /** 0 or 1. */
  yParity: 0 | 1
}

/** Header members a caller may set on a JWT; `alg` always follows the key. */
export interface JwtHeaderInput {
  kid?: string
  typ?: string
  [member: string]: unknown
}

/**
 * One private key behind a narrow interface, so that an HSM or KMS can stand in for the local
 * encrypted store. No method reveals the private key.
 */
export interface Signer {
  /** Key id in its store (the RFC 7638 thumbprint of the public key). */
  readonly kid: string
  readonly keyType: KeyType
  /** JOSE algorithm the key signs with: ES256 (P-256) or ES256K (secp256k1). */
  readonly alg: 'ES256' | 'ES256K'
  readonly publicKeyJwk: EcPublicJwk
  /** ECDSA over SHA-256 of `data`; returns the 64-byte JOSE r‖s form. */
  sign(data: Uint8Array): Promise<Uint8Array>
  /** A compact JWS over the JSON payload with header `{alg, typ: 'JWT', ...header}`. */
  signJwt(payload: Record<string, unknown>, header?: JwtHeaderInput): Promise<string>
  /**
   * Signs a precomputed 32-byte digest with recovery id (secp256k1 only; Ethereum transactions).
   * @throws KeyTypeMismatch for a P-256 key
   */
  signDigest(digest: Uint8Array): Promise<RecoverableSignature>
}

/** Signing with a private key held in memory (what the encrypted local store hands out). */
export class LocalSigner implements Signer {
  readonly alg: 'ES256' | 'ES256K'
  readonly #privateKey: Uint8Array
  /** The KeyObject, built once (importing the key costs more than an ES256 signature). */
  #keyObject: KeyObject | undefined

  constructor(
    readonly kid: string,
    readonly keyType: KeyType,
    readonly publicKeyJwk: EcPublicJwk,
    privateKey: Uint8Array,
  ) {
    this.alg = algOf(keyType)
    this.#privateKey = privateKey
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    this.#keyObject ??= privateKeyObject(this.keyType, this.#privateKey)
    return new Uint8Array(nodeSign('sha256', data, { key: this.#keyObject, dsaEncoding: 'ieee-p1363' }))
  }

  async signJwt(payload: Record<string, unknown>, header: JwtHeaderInput = {}): Promise<string> {
    return signJwtWith(this, payload, header)
  }

  async signDigest(digest: Uint8Array): Promise<RecoverableSignature> {
    if (this.keyType !== 'Secp256k1') throw new KeyTypeMismatch('an Ethereum signature needs a Secp256k1 key')
    if (digest.length !== 32) throw new TypeError('digest must be 32 bytes')
    const signature = new SigningKey(this.#privateKey).sign(digest)
    return { r: signature.r as `0x${string}`, s: signature.s as `0x${string}`, yParity: signature.yParity }
  }
}

/** Builds a compact JWS with any Signer's `sign` (shared by every Signer implementation). */
export async function signJwtWith(
  signer: Pick<Signer, 'alg' | 'sign'>,
  payload: Record<string, unknown>,
  header: JwtHeaderInput = {},
): Promise<string> {
  const protectedHeader = { typ: 'JWT', ...header, alg: signer.alg }
  const signingInput = `${b64u(JSON.stringify(protectedHeader))}.${b64u(JSON.stringify(payload))}`
  const signature = await signer.sign(new TextEncoder().encode(signingInput))
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`
}

const b64u = (text: string) => Buffer.from(text, 'utf8').toString('base64url')
