import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { TestWorld } from './support/world.ts'

// ≥ 1,000 malformed JWTs, VPs and requests: every answer is a problem+json 4xx, never a 5xx.
let world: TestWorld
let verifier: VerifierUnderTest
let validVc = ''

// Deterministic PRNG (mulberry32), so a failure is reproducible.
let seed = 0x5eed
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!
const randomText = (max = 80) =>
  Array.from({ length: Math.floor(rand() * max) }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join('')
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

beforeAll(async () => {
  world = await new TestWorld().start()
  verifier = await startVerifier(world)
  validVc = (await world.issue({ type: 'DublinReplyMilestone', holder: world.holder().did })).jwt
})
afterAll(async () => {
  await verifier?.close()
  await world?.stop()
})

/** Tokens that are not JWTs carrying a usable `vc` or `vp`. */
function malformedToken(): unknown {
  const [h, p, s] = validVc.split('.') as [string, string, string]
  const header = { alg: 'ES256', typ: 'JWT', kid: 'did:ebsi:zx#k' }
  switch (Math.floor(rand() * 16)) {
    case 0: return randomText()
    case 1: return `${h}.${p}`
    case 2: return `${h}.${p}.${s}.${s}`
    case 3: return `${b64(randomText(20))}.${p}.${s}`
    case 4: return `${h}.${b64(randomText(30))}.${s}`
    case 5: return `${b64(header)}.${b64([1, 2, 3])}.${s}`
    case 6: return `${b64(header)}.${b64({ iss: 'did:ebsi:z', foo: randomText(10) })}.${s}`
    case 7: return `${b64(header)}.${b64({ vp: pick(['x', 1, null, [], true]) })}.${s}`
    case 8: return `${b64(header)}.${b64({ vp: { verifiableCredential: pick(['x', 1, null, {}, true]) } })}.${s}`
    case 9: return `${b64(header)}.${b64({ vp: { verifiableCredential: Array.from({ length: 65 }, () => validVc) } })}.${s}`
    case 10: return pick([42, null, true, [], {}, ['a']])
    case 11: return ''
    case 12: return `${h}.${p}.${s}`.replace(/[A-Za-z]/, '!')
    case 13: return `${b64('null')}.${p}.${s}`
    case 14: return 'x'.repeat(500_001)
    default: return `${b64(header)}.${b64({ vc: pick([null, 'x', 3, []]) })}.${s}`
  }
}

interface Attempt {
  method: string
  path: string
  body?: string
  type?: string
  auth?: boolean
}

function malformedRequest(i: number): Attempt {
  if (i < 700) return { method: 'POST', path: '/verifications', body: JSON.stringify({ token: malformedToken() }), type: 'application/json', auth: true }
  if (i < 780) {
    const body = pick([
      '{"token":',
      '[1,2]',
      '"a string"',
      JSON.stringify({ token: validVc, extra: 1 }),
      JSON.stringify({ token: validVc, eurodacReference: '<script>' }),
      JSON.stringify({}),
      randomText(),
    ])
    return { method: 'POST', path: '/verifications', body, type: pick(['application/json', 'text/plain']), auth: true }
  }
  if (i < 900) {
    const form = new URLSearchParams()
    if (rand() < 0.7) form.set('state', randomText(30))
    if (rand() < 0.7) form.set('vp_token', String(malformedToken()).slice(0, 5000))
    if (rand() < 0.5) form.set('presentation_submission', randomText(40))
    const type = pick(['application/x-www-form-urlencoded', 'application/json'])
    return { method: 'POST', path: '/oid4vp/response', body: type === 'application/json' ? pick(['[]', '"x"', '{}', '{"state":1}']) : form.toString(), type }
  }
  if (i < 950) return { method: 'GET', path: `/oid4vp/requests/${encodeURIComponent(randomText(40))}` }
  if (i < 1000)
    return {
      method: 'POST',
      path: '/presentation-requests',
      body: JSON.stringify(pick([{ definition: 'x' }, { redirectUri: 'not a url' }, { eurodacReference: '!!' }, { other: 1 }, []])),
      type: 'application/json',
      auth: true,
    }
  if (i < 1050) return { method: 'GET', path: `/reports/x${encodeURIComponent(randomText(35))}?lang=${encodeURIComponent(randomText(3))}`, auth: true }
  return { method: 'POST', path: '/trust/snapshot', body: JSON.stringify({ snapshot: String(malformedToken()).slice(0, 10_000) }), type: 'application/json', auth: true }
}

describe('fuzz: malformed JWTs, VPs and requests', () => {
  it('answers 1,100 malformed inputs with problem+json 4xx and never a 5xx', async () => {
    const failures: string[] = []
    const counts: Record<number, number> = {}
    for (let i = 0; i < 1100; i++) {
      const attempt = malformedRequest(i)
      const response = await fetch(`${verifier.url}${attempt.path}`, {
        method: attempt.method,
        headers: {
          ...(attempt.type ? { 'content-type': attempt.type } : {}),
          ...(attempt.auth ? { authorization: `Bearer ${verifier.token}` } : {}),
        },
        ...(attempt.body !== undefined ? { body: attempt.body } : {}),
        redirect: 'manual',
      })
      counts[response.status] = (counts[response.status] ?? 0) + 1
      const type = response.headers.get('content-type') ?? ''
      await response.text()
      if (response.status < 400 || response.status >= 500 || !type.includes('application/problem+json'))
        failures.push(`#${i} ${attempt.method} ${attempt.path} → ${response.status} ${type} ${String(attempt.body).slice(0, 120)}`)
    }
    expect(failures).toEqual([])
    expect(Object.keys(counts).every((status) => Number(status) >= 400 && Number(status) < 500)).toBe(true)
  }, 120_000)
})
