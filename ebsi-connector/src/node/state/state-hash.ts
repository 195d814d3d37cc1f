import { createHash } from 'node:crypto'
import { endianness } from 'node:os'

/**
 * LtHash (Bellare–Micciancio's lattice hash, in the 1024 × 16-bit form Facebook published for
 * update propagation): the hash of a multiset of rows is the lane-wise sum, mod 2^16, of a
 * 2048-byte SHAKE256 expansion of each row. Adding or removing a row costs one expansion, so a
 * block folds its row changes into the previous state's hash without reading the rest of the
 * state, and a full scan of the tables at start gives the same hash when (and only when, up to the
 * scheme's collision resistance) the tables hold the rows the blocks produced. Unlike an XOR or a
 * sum mod 2^256 of row hashes, finding two row sets with the same LtHash is believed hard.
 */
const LANES = 1024
const BYTES = LANES * 2

const LITTLE_ENDIAN = endianness() === 'LE'

function expand(element: Uint8Array): Uint16Array {
  const bytes = createHash('shake256', { outputLength: BYTES }).update(element).digest()
  const lanes = new Uint16Array(LANES)
  // lanes are little-endian: on such a machine a byte copy into the aligned array reads them
  if (LITTLE_ENDIAN) new Uint8Array(lanes.buffer).set(bytes)
  else for (let i = 0; i < LANES; i += 1) lanes[i] = bytes.readUInt16LE(i * 2)
  return lanes
}

export class StateHash {
  private constructor(private readonly lanes: Uint16Array) {}

  static empty(): StateHash {
    return new StateHash(new Uint16Array(LANES))
  }

  clone(): StateHash {
    return new StateHash(this.lanes.slice())
  }

  /** Adds one element (a row's canonical bytes) to the multiset. */
  add(element: Uint8Array): void {
    const other = expand(element)
    // Uint16Array stores modulo 2^16, which is the lane arithmetic
    for (let i = 0; i < LANES; i += 1) this.lanes[i] = (this.lanes[i] as number) + (other[i] as number)
  }

  /** Removes one element previously added. */
  remove(element: Uint8Array): void {
    const other = expand(element)
    for (let i = 0; i < LANES; i += 1) this.lanes[i] = (this.lanes[i] as number) - (other[i] as number)
  }

  /** 0x + sha256 of the lanes (little-endian): what a block header carries. */
  digest(): string {
    const bytes = Buffer.alloc(BYTES)
    if (LITTLE_ENDIAN) bytes.set(new Uint8Array(this.lanes.buffer))
    else for (let i = 0; i < LANES; i += 1) bytes.writeUInt16LE(this.lanes[i] as number, i * 2)
    return `0x${createHash('sha256').update(bytes).digest('hex')}`
  }
}
