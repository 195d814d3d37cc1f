import canonicalize from 'canonicalize'
import { base58btc } from 'multiformats/bases/base58'
import { bytesToHex, hexToBytes } from './encoding.ts'
import { EncodingInvalid } from './errors.ts'
import { sha256 } from './hashing.ts'

/** JCS (RFC 8785) canonical JSON text. @throws EncodingInvalid for values JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  const text = (canonicalize as unknown as (input: unknown) => string | undefined)(value)
  if (typeof text !== 'string') throw new EncodingInvalid('value cannot be canonicalised as JSON')
  return text
}

/** TSR schema ids: hex (0x + 32 bytes) and multibase base58btc ('z…') of the same bytes. */
export interface SchemaId {
  hex: string
  multibase: string
}

/**
 * EBSI's schema id of a JSON schema: sha256 over its JCS-canonical JSON, shown as base58btc
 * multibase in URLs and as 0x hex in the `insertSchema` tx.
 */
export function schemaIdOf(schema: unknown): SchemaId {
  const digest = sha256(canonicalJson(schema))
  return { hex: bytesToHex(digest), multibase: base58btc.encode(digest) }
}

/** Converts either form of a schema id into both. @throws EncodingInvalid */
export function parseSchemaId(id: string): SchemaId {
  let bytes: Uint8Array
  if (/^0x[0-9a-fA-F]{64}$/.test(id)) bytes = hexToBytes(id)
  else if (/^z[1-9A-HJ-NP-Za-km-z]{30,50}$/.test(id)) {
    try {
      bytes = base58btc.decode(id)
    } catch (error) {
      throw new EncodingInvalid('schema id is not base58btc', { cause: error })
    }
  } else throw new EncodingInvalid('schema id must be 0x + 64 hex digits or base58btc multibase')
  if (bytes.length !== 32) throw new EncodingInvalid('schema id must be 32 bytes')
  return { hex: bytesToHex(bytes), multibase: base58btc.encode(bytes) }
}

/** A schema revision id: 0x + sha256 of the schema's canonical JSON bytes as stored. */
export function schemaRevisionIdOf(schemaJson: string): string {
  return bytesToHex(sha256(schemaJson))
}

/**
 * EBSI's timestamp id: "u" + base64url(multihash(sha2-256(original hash bytes))).
 * @param hashValue the timestamped hash as 0x hex.
 */
export function timestampIdOf(hashValue: string): string {
  const digest = sha256(hexToBytes(hashValue))
  const multihash = new Uint8Array(34)
  multihash[0] = 0x12
  multihash[1] = 0x20
  multihash.set(digest, 2)
  return `u${Buffer.from(multihash).toString('base64url')}`
}

/** The issuer proxy data `addIssuerProxy` carries (hex of this JSON). */
export interface IssuerProxyData {
  prefix: string
  headers: Record<string, string>
  testSuffix: string
}

/** Proxy id of a newly added proxy: 0x + sha256(did ‖ JCS(proxyData)). Kept across updates. */
export function proxyIdOf(did: string, proxyData: IssuerProxyData): string {
  return bytesToHex(sha256(`${did}${canonicalJson(proxyData)}`))
}

/** TIR attribute id of an attribute body (0x + sha256 of the JWT), EBSI's `hash` member. */
export function attributeHashOf(body: string): string {
  return Buffer.from(sha256(body)).toString('hex')
}
