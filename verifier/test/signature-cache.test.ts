import { generateKeyPairSync, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeJws, verifyRememberedJwsSignature } from '../src/pipeline/jws.ts'

// Per-request signatures are remembered once verified: a hit must require the same bytes AND the
// same key, so neither another key nor a changed token can ride on an earlier success.
function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown> }
}
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

function jwsWith(privateKey: ReturnType<typeof keyPair>['privateKey'], payload: Record<string, unknown>): string {
  const input = `${b64({ alg: 'ES256', typ: 'JWT', kid: 'did:ebsi:zx#k' })}.${b64(payload)}`
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}

describe('verified-signature cache', () => {
  const a = keyPair()
  const b = keyPair()
  const token = jwsWith(a.privateKey, { iss: 'did:ebsi:zx', n: Math.random() })

  it('accepts the signature under its key, again and again', async () => {
    expect(await verifyRememberedJwsSignature(decodeJws(token), a.jwk)).toBe(true)
    expect(await verifyRememberedJwsSignature(decodeJws(token), a.jwk)).toBe(true)
  })

  it('does not carry a success over to another key (e.g. the DID document as of another time)', async () => {
    expect(await verifyRememberedJwsSignature(decodeJws(token), a.jwk)).toBe(true)
    expect(await verifyRememberedJwsSignature(decodeJws(token), b.jwk)).toBe(false)
  })

  it('does not carry a success over to changed bytes', async () => {
    const [h, p, s] = token.split('.') as [string, string, string]
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>
    const forged = `${h}.${b64({ ...payload, iss: 'did:ebsi:zother' })}.${s}`
    expect(await verifyRememberedJwsSignature(decodeJws(forged), a.jwk)).toBe(false)
    // a signature from another key over the same header and payload
    const other = jwsWith(b.privateKey, payload)
    expect(await verifyRememberedJwsSignature(decodeJws(other), a.jwk)).toBe(false)
  })

  it('never remembers a failure: the right key still verifies after a wrong one was tried', async () => {
    const fresh = jwsWith(a.privateKey, { iss: 'did:ebsi:zx', n: Math.random() })
    expect(await verifyRememberedJwsSignature(decodeJws(fresh), b.jwk)).toBe(false)
    expect(await verifyRememberedJwsSignature(decodeJws(fresh), a.jwk)).toBe(true)
  })
})
