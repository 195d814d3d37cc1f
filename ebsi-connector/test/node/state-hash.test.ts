import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { StateHash } from '../../src/node/state/state-hash.ts'
import { stateElement } from '../../src/node/state/state-tables.ts'

const row = (did: string, issuerType: number) =>
  stateElement('TirAttribute', { did, attributeId: 'ab'.repeat(32), issuerType, body: '' })

describe('state hash (LtHash over registry rows)', () => {
  it('is the same for the same rows in any order, and after a row is removed again', () => {
    const a = StateHash.empty()
    a.add(row('did:ebsi:z1', 3))
    a.add(row('did:ebsi:z2', 2))
    const b = StateHash.empty()
    b.add(row('did:ebsi:z2', 2))
    b.add(row('did:ebsi:z3', 1))
    b.add(row('did:ebsi:z1', 3))
    b.remove(row('did:ebsi:z3', 1))
    expect(b.digest()).toBe(a.digest())
  })

  it('differs when one column of one row differs, and the empty state is sha256 of zero lanes', () => {
    const a = StateHash.empty()
    a.add(row('did:ebsi:z1', 3))
    const b = StateHash.empty()
    b.add(row('did:ebsi:z1', 1))
    expect(b.digest()).not.toBe(a.digest())
    expect(StateHash.empty().digest()).toBe(
      `0x${createHash('sha256').update(Buffer.alloc(2048)).digest('hex')}`,
    )
  })

  it('does not change the state it was cloned from', () => {
    const a = StateHash.empty()
    const before = a.digest()
    const b = a.clone()
    b.add(row('did:ebsi:z1', 3))
    expect(a.digest()).toBe(before)
  })
})
