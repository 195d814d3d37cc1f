import { randomInt } from 'node:crypto'
import { gunzipSync, gzipSync } from 'node:zlib'

/** Status purposes of StatusList2021 the issuer keeps one list family for each. */
export const statusPurposes = ['revocation', 'suspension'] as const
export type StatusPurpose = (typeof statusPurposes)[number]

/** Entries per list: 131,072 bits = 16 KiB, the StatusList2021 minimum for herd privacy. */
export const STATUS_LIST_SIZE = 131_072

/**
 * StatusList2021 `encodedList`: the bitstring (bit i = index i, most significant bit first in each
 * byte), GZIP-compressed, then base64 without padding. StatusList2021 says "base64"; EBSI's
 * @cef-ebsi/verifiable-credential 5.5 decodes RFC 4648 base64 (multiformats' `base64`), which rejects
 * the base64url alphabet — so the standard alphabet, unpadded, is what verifies.
 */
export function encodeStatusList(setIndexes: Iterable<number>, size = STATUS_LIST_SIZE): string {
  const bits = new Uint8Array(size / 8)
  for (const index of setIndexes) {
    if (!Number.isInteger(index) || index < 0 || index >= size)
      throw new RangeError(`status index ${index} out of range`)
    bits[index >> 3]! |= 0x80 >> (index & 7)
  }
  return gzipSync(bits).toString('base64').replace(/=+$/, '')
}

/** Reads bit `index` of an encoded list (what a verifier does; used in tests). */
export function readStatusBit(encodedList: string, index: number): boolean {
  const bits = gunzipSync(Buffer.from(encodedList, 'base64'))
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0
}

/**
 * Candidate indexes for a new entry, uniformly random over the list. The caller inserts the first one
 * that the unique constraint (list, index) accepts, so an index is never reused. With n of N taken,
 * each candidate is free with probability 1 - n/N; the list counts as full at 90 % (`isFull`).
 */
export function randomStatusIndexes(count: number, size = STATUS_LIST_SIZE): number[] {
  return Array.from({ length: count }, () => randomInt(size))
}

/** A list stops taking new entries at 90 % so that random allocation stays fast. */
export function isStatusListFull(allocated: number, size = STATUS_LIST_SIZE): boolean {
  return allocated >= Math.floor(size * 0.9)
}
