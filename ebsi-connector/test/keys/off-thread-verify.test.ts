import { generateKeyPairSync, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { verifyEs256OffThread } from '../../src/keys/index.ts'

describe('verifyEs256OffThread', () => {
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = p256.publicKey.export({ format: 'jwk' })
  const input = 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0'
  const signature = sign('sha256', Buffer.from(input), { key: p256.privateKey, dsaEncoding: 'ieee-p1363' })

  it('accepts a P1363 ES256 signature by the key, as string or bytes input', async () => {
    expect(await verifyEs256OffThread(input, signature, jwk)).toBe(true)
    expect(await verifyEs256OffThread(Buffer.from(input), signature, jwk)).toBe(true)
  })

  it('refuses other input, another key, DER or short signatures, other curves, junk keys — never throws', async () => {
    expect(await verifyEs256OffThread(`${input}x`, signature, jwk)).toBe(false)
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })
    expect(await verifyEs256OffThread(input, signature, other)).toBe(false)
    const der = sign('sha256', Buffer.from(input), p256.privateKey)
    expect(await verifyEs256OffThread(input, der, jwk)).toBe(false)
    expect(await verifyEs256OffThread(input, signature.subarray(0, 63), jwk)).toBe(false)
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ format: 'jwk' })
    expect(await verifyEs256OffThread(input, signature, k1)).toBe(false)
    expect(await verifyEs256OffThread(input, signature, { crv: 'P-256', x: 'AAAA', y: 'AAAA' })).toBe(false)
  })
})
