import { EncodingInvalid } from './errors.ts'

const HEX = /^0x[0-9a-fA-F]*$/

/** True when `value` is a `0x`-prefixed hex string with an even number of digits. */
export function isHex(value: unknown): value is string {
  return typeof value === 'string' && HEX.test(value) && value.length % 2 === 0
}

/** Bytes → `0x`-prefixed lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString('hex')}`
}

/**
 * `0x`-prefixed (or bare) hex → bytes.
 * @throws EncodingInvalid when the string is not even-length hex.
 */
export function hexToBytes(hex: string): Uint8Array {
  const body = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex
  if (!/^[0-9a-fA-F]*$/.test(body) || body.length % 2 !== 0)
    throw new EncodingInvalid('value is not even-length hex')
  return new Uint8Array(Buffer.from(body, 'hex'))
}

/** UTF-8 text → `0x` hex (EBSI's encoding of JSON strings and JWTs in tx params). */
export function utf8ToHex(text: string): string {
  return `0x${Buffer.from(text, 'utf8').toString('hex')}`
}

/** `0x` hex → UTF-8 text. @throws EncodingInvalid */
export function hexToUtf8(hex: string): string {
  return Buffer.from(hexToBytes(hex)).toString('utf8')
}

/** Bytes or UTF-8 text → base64url without padding. */
export function base64urlEncode(input: Uint8Array | string): string {
  return Buffer.from(typeof input === 'string' ? Buffer.from(input, 'utf8') : input).toString('base64url')
}

/** base64url (padding tolerated) → bytes. @throws EncodingInvalid */
export function base64urlDecode(input: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(input)) throw new EncodingInvalid('value is not base64url')
  return new Uint8Array(Buffer.from(input, 'base64url'))
}

/** A non-negative integer as a minimal `0x` quantity (Ethereum JSON-RPC style: 0 → "0x0"). */
export function toQuantity(value: number | bigint): string {
  return `0x${BigInt(value).toString(16)}`
}

/** Parses a `0x` quantity or decimal string/number into a bigint. @throws EncodingInvalid */
export function fromQuantity(value: string | number | bigint): bigint {
  try {
    if (typeof value === 'bigint') return value
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) throw new Error('not a safe non-negative integer')
      return BigInt(value)
    }
    if (/^0x[0-9a-fA-F]+$/.test(value)) return BigInt(value)
    if (/^[0-9]+$/.test(value)) return BigInt(value)
  } catch (error) {
    throw new EncodingInvalid('value is not a quantity', { cause: error })
  }
  throw new EncodingInvalid('value is not a quantity')
}
