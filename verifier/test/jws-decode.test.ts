import { randomBytes, randomInt } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { TokenMalformed } from '../src/errors.ts'
import { decodeJws } from '../src/pipeline/jws.ts'

// decodeJws checks the base64url alphabet through the decoded length instead of a regular
// expression over the whole token. It must accept no token the expression rejected.
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const header = b64({ alg: 'ES256', kid: 'did:ebsi:zx#k' })

const accepts = (token: string) => {
  try {
    decodeJws(token)
    return true
  } catch (error) {
    expect(error).toBeInstanceOf(TokenMalformed)
    return false
  }
}

describe('decodeJws', () => {
  it('decodes a compact JWS; the signing input is the token up to the second dot', () => {
    const signature = randomBytes(64).toString('base64url')
    const token = `${header}.${b64({ iss: 'did:ebsi:zx' })}.${signature}`
    const jws = decodeJws(token)
    expect(jws.header).toEqual({ alg: 'ES256', kid: 'did:ebsi:zx#k' })
    expect(jws.payload).toEqual({ iss: 'did:ebsi:zx' })
    expect(jws.signingInput).toBe(token.slice(0, token.lastIndexOf('.')))
    expect(jws.signature.toString('base64url')).toBe(signature)
  })

  it.each([
    ['base64 +', (p: string) => `${p.slice(0, 4)}+${p.slice(5)}`],
    ['base64 /', (p: string) => `${p.slice(0, 4)}/${p.slice(5)}`],
    ['padding', (p: string) => `${p}==`],
    ['a space', (p: string) => `${p.slice(0, 4)} ${p.slice(4)}`],
    ['a line break', (p: string) => `${p.slice(0, 4)}\n${p.slice(4)}`],
    ['a non-ASCII letter', (p: string) => `${p.slice(0, 4)}é${p.slice(5)}`],
    ['one character too many', (p: string) => `${p}${'A'.repeat((((1 - p.length) % 4) + 4) % 4)}`],
  ])('rejects a part with %s', (_name, mutate) => {
    const payload = b64({ iss: 'did:ebsi:zx', n: 'x'.repeat(7) })
    const signature = randomBytes(64).toString('base64url')
    expect(accepts(`${header}.${payload}.${signature}`)).toBe(true)
    expect(accepts(`${mutate(header)}.${payload}.${signature}`)).toBe(false)
    expect(accepts(`${header}.${mutate(payload)}.${signature}`)).toBe(false)
    expect(accepts(`${header}.${payload}.${mutate(signature)}`)).toBe(false)
  })

  it('rejects wrong part counts and empty header or payload', () => {
    const payload = b64({ a: 1 })
    for (const token of [
      '',
      header,
      `${header}.${payload}`,
      `${header}.${payload}.sig.x`,
      `.${payload}.`,
      `${header}..`,
    ])
      expect(accepts(token)).toBe(false)
    expect(accepts(`${header}.${payload}.`)).toBe(true)
  })

  it('accepts nothing the regular expression rejects, over 20,000 random edits', () => {
    const alphabet = 'ABCXYZabcxyz0189-_+/= .\n!é\u0000'
    let accepted = 0
    for (let i = 0; i < 20_000; i++) {
      let token = `${header}.${b64({ n: randomBytes(randomInt(0, 24)).toString('hex') })}.${randomBytes(randomInt(0, 70)).toString('base64url')}`
      for (let edits = randomInt(0, 3); edits > 0; edits--) {
        const at = randomInt(0, token.length + 1)
        const c = alphabet[randomInt(0, alphabet.length)]!
        const op = randomInt(0, 3)
        token =
          op === 0
            ? token.slice(0, at) + c + token.slice(at)
            : op === 1
              ? token.slice(0, at) + token.slice(at + 1)
              : token.slice(0, at) + c + token.slice(at + 1)
      }
      if (accepts(token)) {
        accepted++
        expect(COMPACT.test(token), token).toBe(true)
      }
    }
    // the edits must leave enough tokens valid for the comparison to mean something
    expect(accepted).toBeGreaterThan(2_000)
  })
})
