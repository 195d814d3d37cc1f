import { gunzipSync, gzipSync } from 'node:zlib'

/**
 * The StatusList2021 bitstring codec shared by every party: the issuer encodes, the holder and the
 * verifier decode. Bit i is index i, most significant bit first in each byte; `encodedList` is the
 * GZIP-compressed bitstring in base64 without padding. StatusList2021 says "base64"; EBSI's
 * @cef-ebsi/verifiable-credential 5.5 decodes RFC 4648 base64 and rejects the base64url alphabet, so
 * the standard alphabet, unpadded, is what verifies everywhere.
 */

/** Entries per list: 131,072 bits = 16 KiB, the StatusList2021 minimum for herd privacy. */
export const STATUS_LIST_MIN_BITS = 131_072

/** `encodedList` of a raw bitstring. */
export function encodeStatusListBytes(bits: Uint8Array): string {
  return gzipSync(bits).toString('base64').replace(/=+$/, '')
}

/** `encodedList` of a list of `size` bits with the given indexes set. */
export function encodeStatusList(setIndexes: Iterable<number>, size = STATUS_LIST_MIN_BITS): string {
  const bits = new Uint8Array(size / 8)
  for (const index of setIndexes) {
    if (!Number.isInteger(index) || index < 0 || index >= size)
      throw new RangeError(`status index ${index} out of range`)
    bits[index >> 3] = (bits[index >> 3] as number) | (0x80 >> (index & 7))
  }
  return encodeStatusListBytes(bits)
}

/** The bitstring of an `encodedList`. @throws when it is not base64 of GZIP data. */
export function decodeStatusList(encodedList: string): Uint8Array {
  return new Uint8Array(gunzipSync(Buffer.from(encodedList, 'base64')))
}

/** Bit `index` of a decoded list; an index past its end reads as unset. */
export function statusBit(bits: Uint8Array, index: number): boolean {
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0
}
