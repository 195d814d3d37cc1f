import { randomBytes } from 'node:crypto'
import { base58btc } from 'multiformats/bases/base58'
import { DidEbsiInvalid } from './errors.ts'

/** Version byte of EBSI legal-entity DIDs (did:ebsi v1). */
export const DID_EBSI_LE_VERSION = 0x01

const PREFIX = 'did:ebsi:'

/**
 * A new legal-entity did:ebsi: `did:ebsi:` + base58btc('z') of [0x01 ‖ 16 random bytes].
 * @param random optional 16 bytes (tests); defaults to a CSPRNG.
 * @example generateDidEbsi() // 'did:ebsi:zxaYaUtb8pvoAtYNWbKcveg'
 */
export function generateDidEbsi(random: Uint8Array = randomBytes(16)): string {
  if (random.length !== 16) throw new TypeError('did:ebsi needs exactly 16 random bytes')
  const bytes = new Uint8Array(17)
  bytes[0] = DID_EBSI_LE_VERSION
  bytes.set(random, 1)
  return `${PREFIX}${base58btc.encode(bytes)}`
}

/**
 * Checks a legal-entity did:ebsi and returns its 16 subject bytes.
 * @throws DidEbsiInvalid naming what is wrong.
 */
export function parseDidEbsi(did: unknown): { did: string; subjectBytes: Uint8Array } {
  if (typeof did !== 'string') throw new DidEbsiInvalid('"did" must be a string')
  if (!did.startsWith(PREFIX)) throw new DidEbsiInvalid('"did" must start with did:ebsi:')
  const msi = did.slice(PREFIX.length)
  if (!/^z[1-9A-HJ-NP-Za-km-z]{20,30}$/.test(msi))
    throw new DidEbsiInvalid('"did" method-specific id is not base58btc')
  let bytes: Uint8Array
  try {
    bytes = base58btc.decode(msi)
  } catch (error) {
    throw new DidEbsiInvalid('"did" method-specific id is not base58btc', { cause: error })
  }
  if (bytes.length !== 17) throw new DidEbsiInvalid('"did" method-specific id must decode to 17 bytes')
  if (bytes[0] !== DID_EBSI_LE_VERSION)
    throw new DidEbsiInvalid('"did" must be a legal-entity DID (version 0x01)')
  return { did, subjectBytes: bytes.slice(1) }
}

/** True for a syntactically valid legal-entity did:ebsi. */
export function isDidEbsi(did: unknown): did is string {
  try {
    parseDidEbsi(did)
    return true
  } catch {
    return false
  }
}
