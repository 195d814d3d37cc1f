import { generateKeyPairSync, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { verifyEcdsa, verifyEcdsaOffThread } from '../../src/keys/index.ts'

// The two forms share their checks and key cache: each must give the same answers.
describe.each([
  ['verifyEcdsa', async (...args: Parameters<typeof verifyEcdsa>) => verifyEcdsa(...args)],
  ['verifyEcdsaOffThread', verifyEcdsaOffThread],
] as const)('%s', (_name, verifyWith) => {
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
  const jwk = p256.publicKey.export({ format: 'jwk' })
  const k1Jwk = k1.publicKey.export({ format: 'jwk' })
  const input = 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0'
  const signature = sign('sha256', Buffer.from(input), { key: p256.privateKey, dsaEncoding: 'ieee-p1363' })
  const k1Signature = sign('sha256', Buffer.from(input), { key: k1.privateKey, dsaEncoding: 'ieee-p1363' })

  it('accepts a P1363 ES256 or ES256K signature by the key, as string or bytes input', async () => {
    expect(await verifyWith('ES256', input, signature, jwk)).toBe(true)
    expect(await verifyWith('ES256', Buffer.from(input), signature, jwk)).toBe(true)
    expect(await verifyWith('ES256K', input, k1Signature, k1Jwk)).toBe(true)
  })

  it('verifies a presentation-sized input (a whole case, ~80 KB)', async () => {
    const large = `${input}${'A'.repeat(80_000)}`
    const largeSignature = sign('sha256', Buffer.from(large), {
      key: p256.privateKey,
      dsaEncoding: 'ieee-p1363',
    })
    expect(await verifyWith('ES256', large, largeSignature, jwk)).toBe(true)
    expect(await verifyWith('ES256', `${large}A`, largeSignature, jwk)).toBe(false)
  })

  it('refuses other input, another key, DER or short signatures, the other curve, other algs, junk keys — never throws', async () => {
    expect(await verifyWith('ES256', `${input}x`, signature, jwk)).toBe(false)
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })
    expect(await verifyWith('ES256', input, signature, other)).toBe(false)
    const der = sign('sha256', Buffer.from(input), p256.privateKey)
    expect(await verifyWith('ES256', input, der, jwk)).toBe(false)
    expect(await verifyWith('ES256', input, signature.subarray(0, 63), jwk)).toBe(false)
    expect(await verifyWith('ES256', input, signature, k1Jwk)).toBe(false)
    expect(await verifyWith('ES256K', input, k1Signature, jwk)).toBe(false)
    expect(await verifyWith('ES256K', input, signature, k1Jwk)).toBe(false)
    expect(await verifyWith('EdDSA', input, signature, jwk)).toBe(false)
    expect(await verifyWith('none', input, signature, jwk)).toBe(false)
    expect(await verifyWith('toString', input, signature, jwk)).toBe(false)
    expect(await verifyWith('ES256', input, signature, { crv: 'P-256', x: 'AAAA', y: 'AAAA' })).toBe(false)
  })
})
