import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { addMonths, DEFAULT_CREDENTIAL_VALIDITY_MONTHS } from '../src/domain/credential.ts'
import { holderDidOf, holderJwkOf } from '../src/domain/did-key.ts'
import {
  credentialLeafData,
  merkleInclusionProofFromLevels as inclusionProof,
  merkleLevels,
  merkleRootOfLevels as merkleRootOf,
} from '@flora/ebsi-connector/core'
import { padLeaves, paddedBatchSize } from '../src/domain/merkle-batch.ts'
import { checkNonce, createNonce } from '../src/domain/proof.ts'
import { encodeStatusList, readStatusBit, STATUS_LIST_SIZE } from '../src/domain/status-list.ts'
import { txCodeFor } from '../src/domain/tokens.ts'
import { newHolder } from './helpers/harness.ts'

/** RFC 9162 §2.1.3.2 inclusion verification, written independently of the tree code under test. */
function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: Uint8Array[],
  root: Uint8Array,
): boolean {
  const h = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest()
  let fn = index
  let sn = size - 1
  let r = h(Buffer.from([0]), leaf)
  for (const p of proof) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = h(Buffer.from([1]), p, r)
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1
        sn >>= 1
      }
    } else r = h(Buffer.from([1]), r, p)
    fn >>= 1
    sn >>= 1
  }
  return sn === 0 && r.equals(Buffer.from(root))
}

describe('StatusList2021 bitstring', () => {
  it('holds 131,072 entries, GZIP + base64, MSB first', () => {
    const encoded = encodeStatusList([0, 9, STATUS_LIST_SIZE - 1])
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+$/)
    expect(readStatusBit(encoded, 0)).toBe(true)
    expect(readStatusBit(encoded, 1)).toBe(false)
    expect(readStatusBit(encoded, 9)).toBe(true)
    expect(readStatusBit(encoded, STATUS_LIST_SIZE - 1)).toBe(true)
    expect(STATUS_LIST_SIZE).toBeGreaterThanOrEqual(131_072)
  })
})

describe('anchoring batches', () => {
  it('pads to a power of two ≥ the minimum and every real leaf has a verifying RFC 9162 proof', () => {
    expect(paddedBatchSize(0, 64)).toBe(64)
    expect(paddedBatchSize(65, 64)).toBe(128)
    const leaves = Array.from({ length: 37 }, (_, i) => credentialLeafData(Buffer.alloc(32, i), `jwt-${i}`))
    const padded = padLeaves(leaves, 16)
    expect(padded.leaves).toHaveLength(64)
    const levels = merkleLevels(padded.leaves)
    const root = merkleRootOf(levels)
    for (const [i, position] of padded.positions.entries()) {
      expect(padded.leaves[position]!.equals(leaves[i]!)).toBe(true)
      expect(verifyInclusion(leaves[i]!, position, 64, inclusionProof(levels, position), root)).toBe(true)
    }
    expect(
      verifyInclusion(
        leaves[0]!,
        padded.positions[1]!,
        64,
        inclusionProof(levels, padded.positions[1]!),
        root,
      ),
    ).toBe(false)
  })
})

describe('did:key (EBSI jwk_jcs-pub)', () => {
  it('decodes DIDs made by EBSI’s key-did-resolver and encodes the same DID', () => {
    const holder = newHolder()
    expect(holderJwkOf(holder.did)).toEqual(holder.jwk)
    expect(holderDidOf(holder.jwk)).toBe(holder.did)
    expect(holderJwkOf('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK')).toBeUndefined()
  })
})

describe('codes and nonces', () => {
  it('derives 6-digit transaction codes and self-authenticating nonces with an expiry', () => {
    const secret = Buffer.alloc(32, 7)
    expect(txCodeFor(secret, 'm1')).toMatch(/^\d{6}$/)
    const { nonce } = createNonce(secret, 60, 1_000_000)
    expect(checkNonce(secret, nonce, 1_000_000)).toBeInstanceOf(Date)
    expect(checkNonce(secret, nonce, 1_000_000 + 61_000)).toBeUndefined()
    expect(checkNonce(Buffer.alloc(32, 8), nonce, 1_000_000)).toBeUndefined()
  })

  it('credential validity covers the longest transfer period with margins (36 months)', () => {
    expect(DEFAULT_CREDENTIAL_VALIDITY_MONTHS).toBeGreaterThanOrEqual(3 + 2 + 18)
    expect(addMonths(new Date('2026-01-31T00:00:00Z'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z')
  })
})
