/**
 * The two hashes milestone claims carry, computed with Web Crypto (Node 20 and browsers alike; the
 * caller supplies randomness, so these functions stay deterministic).
 *
 * Credential hash (`previousMilestoneHash`, `supersedes`): `sha-256:` + unpadded base64url of
 * SHA-256 over the credential's compact JWS (the JWT string as issued, ASCII). Hashing the exact bytes
 * the holder presents lets a verifier recompute it without canonicalisation.
 *
 * Eurodac commitment (`eurodacCommitment`): `{ alg: 'sha-256', salt, value }` with
 * value = base64url(SHA-256(salt ‖ UTF-8(normalised reference))) and a fresh random salt of at least
 * 16 bytes per credential, carried in the credential itself. Why this design:
 * - A verifier who already holds the Eurodac number (from its own hit or DubliNet) confirms the
 *   binding with the credential alone; no second channel for the salt is needed, which EBSI's JWT VC
 *   verification could not carry anyway (no selective disclosure).
 * - The number never appears in clear, and a fresh salt per credential means the same person's
 *   commitments differ between credentials and cannot be matched with precomputed tables or across
 *   cases. The ledger never sees commitments (it anchors only salted hashes of whole credentials).
 * - Limit, stated plainly: Eurodac numbers have low entropy (country code, category, sequence). Whoever
 *   holds a credential (holder, a verifier it was presented to) could test candidate numbers against the
 *   salt offline. The commitment binds; it does not hide the number from a determined holder of the
 *   credential. That is acceptable because the credential only reaches parties that process the number
 *   lawfully anyway (Dublin III Art. 34). A slow, keyed or selectively-disclosed variant needs a new
 *   `alg` value and a schema version.
 */

/** Salted commitment to a Eurodac reference number, as carried in `credentialSubject.eurodacCommitment`. */
export interface EurodacCommitment {
  readonly alg: 'sha-256'
  /** Unpadded base64url of the salt (≥ 16 bytes). */
  readonly salt: string
  /** Unpadded base64url of SHA-256(salt ‖ UTF-8(normalised reference)). */
  readonly value: string
}

/** Minimum salt length in bytes. */
export const EURODAC_COMMITMENT_MIN_SALT_BYTES = 16

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Unpadded base64url encoding. */
export function encodeBase64url(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!
    const b1 = bytes[i + 1]
    const b2 = bytes[i + 2]
    out += BASE64URL[b0 >> 2]
    out += BASE64URL[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)]
    if (b1 !== undefined) out += BASE64URL[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)]
    if (b2 !== undefined) out += BASE64URL[b2 & 63]
  }
  return out
}

/**
 * Unpadded base64url decoding.
 * @throws {TypeError} on characters outside the base64url alphabet or an impossible length
 */
export function decodeBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new TypeError('invalid base64url')
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let bits = 0
  let buffer = 0
  let index = 0
  for (const char of text) {
    buffer = (buffer << 6) | BASE64URL.indexOf(char)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[index++] = (buffer >> bits) & 0xff
    }
  }
  return out
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle
  if (subtle === undefined) throw new TypeError('Web Crypto (crypto.subtle) is not available')
  return new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
}

/**
 * Normalises a Eurodac reference number before committing: whitespace removed, upper case.
 * @throws {TypeError} when the result is empty or holds anything but A-Z and 0-9
 */
export function normaliseEurodacReference(reference: string): string {
  if (typeof reference !== 'string') throw new TypeError('"reference" must be a string')
  const normalised = reference.replace(/\s+/g, '').toUpperCase()
  if (!/^[A-Z0-9]+$/.test(normalised)) throw new TypeError('"reference" must consist of letters and digits')
  return normalised
}

/**
 * Computes the salted commitment to a Eurodac reference number.
 * @param reference - the Eurodac reference number (normalised first)
 * @param salt - fresh random bytes (≥ 16), e.g. `crypto.getRandomValues(new Uint8Array(16))`
 * @throws {TypeError} on a malformed reference or a short salt
 */
export async function createEurodacCommitment(
  reference: string,
  salt: Uint8Array,
): Promise<EurodacCommitment> {
  if (!(salt instanceof Uint8Array) || salt.length < EURODAC_COMMITMENT_MIN_SALT_BYTES)
    throw new TypeError(`"salt" must be at least ${EURODAC_COMMITMENT_MIN_SALT_BYTES} bytes`)
  if (salt.length > 64) throw new TypeError('"salt" must be at most 64 bytes')
  const number = new TextEncoder().encode(normaliseEurodacReference(reference))
  const input = new Uint8Array(salt.length + number.length)
  input.set(salt, 0)
  input.set(number, salt.length)
  return { alg: 'sha-256', salt: encodeBase64url(salt), value: encodeBase64url(await sha256(input)) }
}

/**
 * Checks a commitment against a Eurodac reference number the verifier holds.
 * @returns true when the commitment was made to this number
 */
export async function verifyEurodacCommitment(
  commitment: EurodacCommitment,
  reference: string,
): Promise<boolean> {
  if (commitment.alg !== 'sha-256') return false
  let salt: Uint8Array
  let normalised: string
  try {
    salt = decodeBase64url(commitment.salt)
    normalised = normaliseEurodacReference(reference)
  } catch {
    return false
  }
  if (salt.length < EURODAC_COMMITMENT_MIN_SALT_BYTES || salt.length > 64) return false
  const expected = await createEurodacCommitment(normalised, salt)
  return expected.value === commitment.value
}

/**
 * Hash of a milestone credential, for `previousMilestoneHash` and `supersedes`.
 * @param jwt - the credential's compact JWS, exactly as issued
 * @returns `sha-256:` + unpadded base64url digest
 */
export async function computeCredentialHash(jwt: string): Promise<string> {
  if (typeof jwt !== 'string' || jwt.length === 0) throw new TypeError('"jwt" must be a non-empty string')
  return credentialHashFromDigest(await sha256(new TextEncoder().encode(jwt)))
}

/**
 * The credential hash for a SHA-256 digest of the JWT computed elsewhere (services hash
 * synchronously with node:crypto on their hot paths; the format stays defined here).
 */
export function credentialHashFromDigest(sha256Digest: Uint8Array): string {
  if (sha256Digest.length !== 32) throw new TypeError('a SHA-256 digest has 32 bytes')
  return `sha-256:${encodeBase64url(sha256Digest)}`
}
