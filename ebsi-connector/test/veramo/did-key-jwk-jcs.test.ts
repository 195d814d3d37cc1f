import { generateKeyPairSync } from 'node:crypto'
import { getResolver as getEbsiKeyResolver, util } from '@cef-ebsi/key-did-resolver'
import { Resolver } from 'did-resolver'
import { describe, expect, it } from 'vitest'
import { generateDidEbsi, isDidEbsi, parseDidEbsi } from '../../src/core/index.ts'
import { createDidKeyJwkJcs, getDidKeyJwkJcsResolver, jwkFromDidKeyJwkJcs } from '../../src/veramo/index.ts'

const p256Jwk = () => {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'jwk' })
  return { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string }
}

describe('did:key in EBSI natural-person profile (jwk_jcs-pub)', () => {
  it('encodes with the 0xeb51 prefix (z2dmzD81cgPx8Vki7JbuuMmFYrWPgYoytykUZ3eyqht1j9Kb…) and decodes back', () => {
    const jwk = p256Jwk()
    const did = createDidKeyJwkJcs({ ...jwk, kid: 'ignored', use: 'sig' } as typeof jwk)
    expect(did.startsWith('did:key:z2dmzD81cgPx8Vki7JbuuMmFYrWPgYoytykUZ3eyqht1j9Kb')).toBe(true)
    expect(jwkFromDidKeyJwkJcs(did)).toEqual({ crv: 'P-256', kty: 'EC', x: jwk.x, y: jwk.y })
  })

  it("matches EBSI's own @cef-ebsi/key-did-resolver (encoding and resolved document)", async () => {
    const jwk = p256Jwk()
    const ours = createDidKeyJwkJcs(jwk)
    expect(ours).toBe(util.createDid(jwk))
    const theirs = await new Resolver(getEbsiKeyResolver()).resolve(ours)
    const mine = await new Resolver(getDidKeyJwkJcsResolver()).resolve(ours)
    expect(mine.didDocument).toEqual(theirs.didDocument)
  })

  it('resolves a fixed test vector', async () => {
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: 'ngy44T1vxAT6Di4nr-UaM9K3Tlnz9pkoksDokKFkmNc',
      y: 'QCRfOKlSM31GTkb4JHx3nXB4G_jSPMsbdjzlkT_UpPc',
    }
    const did = createDidKeyJwkJcs(jwk)
    expect(did).toBe(util.createDid(jwk))
    const { didDocument } = await new Resolver(getDidKeyJwkJcsResolver()).resolve(did)
    expect(didDocument?.verificationMethod?.[0]?.publicKeyJwk).toEqual({
      crv: 'P-256',
      kty: 'EC',
      x: jwk.x,
      y: jwk.y,
    })
    expect(didDocument?.assertionMethod).toEqual([`${did}#${did.slice(8)}`])
  })

  it('refuses other did:key codecs and malformed DIDs', async () => {
    const ed25519 = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
    expect(() => jwkFromDidKeyJwkJcs(ed25519)).toThrow(/jwk_jcs-pub/)
    const result = await new Resolver(getDidKeyJwkJcsResolver()).resolve('did:key:nope')
    expect(result.didResolutionMetadata.error).toBe('invalidDid')
  })
})

describe('did:ebsi legal-entity identifiers', () => {
  it('are did:ebsi:z + base58btc(0x01 ‖ 16 random bytes)', () => {
    const did = generateDidEbsi()
    expect(did).toMatch(/^did:ebsi:z[1-9A-HJ-NP-Za-km-z]{21,23}$/)
    expect(parseDidEbsi(did).subjectBytes).toHaveLength(16)
    expect(isDidEbsi(did)).toBe(true)
    expect(isDidEbsi('did:ebsi:zZeKyEJfUTGwajhNyNX928z')).toBe(true) // EBSI Support Office
    expect(isDidEbsi('did:ebsi:abc')).toBe(false)
    expect(isDidEbsi('did:ebsi:z2')).toBe(false)
    expect(generateDidEbsi()).not.toBe(did)
  })
})
