import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  CREDENTIAL_HASH_PATTERN,
  computeCredentialHash,
  createEurodacCommitment,
  credentialHashFromDigest,
  decodeBase64url,
  encodeBase64url,
  normaliseEurodacReference,
  validateMilestoneClaims,
  verifyEurodacCommitment,
} from '../../src/milestones/index.ts'
import { validClaims } from './fixtures/claims.ts'

const salt = Uint8Array.from({ length: 16 }, (_, index) => index * 7 + 1)

describe('Eurodac commitment', () => {
  it('is SHA-256(salt || UTF-8(normalised number)), base64url', async () => {
    const commitment = await createEurodacCommitment(' de1 2000 0012 3456 ', salt)
    const expected = createHash('sha256').update(salt).update('DE1200000123456').digest('base64url')
    expect(commitment).toEqual({
      alg: 'sha-256',
      salt: Buffer.from(salt).toString('base64url'),
      value: expected,
    })
  })

  it('fits the claims schema', async () => {
    const claims = {
      ...validClaims['EurodacHitMilestone'],
      eurodacCommitment: await createEurodacCommitment('DE1200000123456', salt),
    }
    expect(validateMilestoneClaims('EurodacHitMilestone', claims).valid).toBe(true)
  })

  it('lets a verifier holding the number confirm it, and only that number', async () => {
    const commitment = await createEurodacCommitment('DE1200000123456', salt)
    expect(await verifyEurodacCommitment(commitment, 'de1200000123456')).toBe(true)
    expect(await verifyEurodacCommitment(commitment, 'DE1200000123457')).toBe(false)
    expect(
      await verifyEurodacCommitment(
        { ...commitment, salt: encodeBase64url(new Uint8Array(16)) },
        'DE1200000123456',
      ),
    ).toBe(false)
    expect(await verifyEurodacCommitment({ ...commitment, salt: '!!' }, 'DE1200000123456')).toBe(false)
    expect(await verifyEurodacCommitment(commitment, '')).toBe(false)
  })

  it('differs per salt, so commitments of one person cannot be matched across credentials', async () => {
    const a = await createEurodacCommitment('DE1200000123456', salt)
    const b = await createEurodacCommitment(
      'DE1200000123456',
      salt.map((byte) => byte ^ 0xff),
    )
    expect(a.value).not.toBe(b.value)
  })

  it('refuses short salts and malformed numbers', async () => {
    await expect(createEurodacCommitment('DE1200000123456', new Uint8Array(8))).rejects.toThrow(TypeError)
    await expect(createEurodacCommitment('DE12-0000', salt)).rejects.toThrow(TypeError)
    expect(() => normaliseEurodacReference('   ')).toThrow(TypeError)
  })
})

describe('credential hash', () => {
  it('is sha-256: + base64url of SHA-256 over the JWT string', async () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.c2lnbmF0dXJl'
    const hash = await computeCredentialHash(jwt)
    expect(hash).toBe(`sha-256:${createHash('sha256').update(jwt).digest('base64url')}`)
    expect(hash).toMatch(new RegExp(CREDENTIAL_HASH_PATTERN))
    // the synchronous form the services use on their hot paths gives the same hash
    expect(credentialHashFromDigest(createHash('sha256').update(jwt).digest())).toBe(hash)
    expect(() => credentialHashFromDigest(new Uint8Array(31))).toThrow(TypeError)
  })

  it('chains milestones: the next credential’s previousMilestoneHash is accepted by the schema', async () => {
    const previousMilestoneHash = await computeCredentialHash('eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.c2ln')
    const claims = { ...validClaims['DublinReplyMilestone'], previousMilestoneHash }
    expect(validateMilestoneClaims('DublinReplyMilestone', claims).valid).toBe(true)
  })
})

describe('base64url', () => {
  it('round-trips every length and matches Node’s encoder', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 37 + length) & 0xff)
      const text = encodeBase64url(bytes)
      expect(text).toBe(Buffer.from(bytes).toString('base64url'))
      expect(decodeBase64url(text)).toEqual(bytes)
    }
    expect(() => decodeBase64url('a+b/')).toThrow(TypeError)
    expect(() => decodeBase64url('abcde')).toThrow(TypeError)
  })
})
