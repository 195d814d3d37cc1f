import { randomInt } from 'node:crypto'
import {
  decodeStatusList,
  encodeStatusList,
  STATUS_LIST_MIN_BITS,
  statusBit,
} from '@flora/ebsi-connector/core'

/** Status purposes of StatusList2021 the issuer keeps one list family for each. */
export const statusPurposes = ['revocation', 'suspension'] as const
export type StatusPurpose = (typeof statusPurposes)[number]

/** Entries per list: the StatusList2021 minimum for herd privacy (core's codec does the encoding). */
export const STATUS_LIST_SIZE = STATUS_LIST_MIN_BITS

export { encodeStatusList }

/** Reads bit `index` of an encoded list (what a verifier does; used in tests). */
export const readStatusBit = (encodedList: string, index: number): boolean =>
  statusBit(decodeStatusList(encodedList), index)

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
