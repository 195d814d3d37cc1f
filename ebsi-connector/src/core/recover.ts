import { secp256k1 as noble } from '@noble/curves/secp256k1.js'
import { computeAddress, getAddress, Signature, SigningKey } from 'ethers'
import native from 'secp256k1'
import { bytesToHex, hexToBytes } from './encoding.ts'
import { TransactionInvalid } from './errors.ts'

/**
 * Recovers the Ethereum address that signed a 32-byte digest (r, s as 0x hex; yParity 0|1).
 * Uses libsecp256k1 through the `secp256k1` package (≈20× faster than pure JS), which itself
 * falls back to JavaScript where the native addon is unavailable; @noble/curves is the last resort.
 * @throws TransactionInvalid when no public key can be recovered.
 */
export function recoverSignerAddress(digest: Uint8Array, r: string, s: string, yParity: number): string {
  const signature = new Uint8Array(64)
  signature.set(pad32(hexToBytes(r)), 0)
  signature.set(pad32(hexToBytes(s)), 32)
  let publicKey: Uint8Array
  try {
    publicKey = native.ecdsaRecover(signature, yParity, digest, false)
  } catch {
    try {
      publicKey = noble.Signature.fromBytes(signature, 'compact')
        .addRecoveryBit(yParity)
        .recoverPublicKey(digest)
        .toBytes(false)
    } catch (error) {
      throw new TransactionInvalid('the signature does not recover to a public key', { cause: error })
    }
  }
  return getAddress(computeAddress(bytesToHex(publicKey)))
}

function pad32(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 32) throw new TransactionInvalid('signature component longer than 32 bytes')
  const out = new Uint8Array(32)
  out.set(bytes, 32 - bytes.length)
  return out
}

/**
 * Signs a 32-byte digest with a secp256k1 private key (hex) — libsecp256k1 when available
 * (RFC 6979 deterministic, low-s), else ethers. Returns an ethers Signature (v 27/28).
 */
export function signDigest(digest: Uint8Array, privateKeyHex: string): Signature {
  try {
    const { signature, recid } = native.ecdsaSign(digest, hexToBytes(privateKeyHex))
    return Signature.from({
      r: bytesToHex(signature.slice(0, 32)),
      s: bytesToHex(signature.slice(32)),
      v: 27 + recid,
    })
  } catch {
    return new SigningKey(privateKeyHex).sign(digest)
  }
}
