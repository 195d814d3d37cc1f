import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifierKeyEncryptionKey } from '../src/app.ts'
import { loadVerifierConfig } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { TestWorld } from './support/world.ts'

let world: TestWorld
let verifier: VerifierUnderTest

beforeAll(async () => {
  world = await new TestWorld().start()
  verifier = await startVerifier(world)
})
afterAll(async () => {
  await verifier?.close()
  await world?.stop()
})

describe('verifier service', () => {
  it('reports healthy with its database reachable', async () => {
    const response = await fetch(`${verifier.url}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      status: 'ok',
      service: 'verifier',
      checks: { database: 'ok' },
    })
  })

  it('serves its OpenAPI description with every endpoint', async () => {
    const doc = (await (await fetch(`${verifier.url}/openapi.json`)).json()) as {
      openapi: string
      paths: object
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/verifications',
        '/reports/{id}',
        '/oid4vp/response',
        '/trust/snapshot',
      ]),
    )
  })

  it('is a party of its own: a did:ebsi with a P-256 and a secp256k1 key, kept across restarts', async () => {
    const identity = (await (await fetch(`${verifier.url}/identity`)).json()) as {
      did: string
      assertionKey: { publicKeyJwk: { crv: string } }
    }
    expect(identity.did).toMatch(/^did:ebsi:z/)
    expect(identity.assertionKey.publicKeyJwk.crv).toBe('P-256')
    const { ensureVerifierIdentity } = await import('../src/services/identity.ts')
    const again = await ensureVerifierIdentity(verifier.db, verifierKeyEncryptionKey(verifier.config))
    expect(again.did).toBe(identity.did)
  })

  it('requires authentication on every API and on stored reports', async () => {
    for (const [method, path] of [
      ['POST', '/verifications'],
      ['GET', '/reports'],
      ['GET', '/reports/00000000-0000-0000-0000-000000000000'],
      ['POST', '/nonces'],
      ['POST', '/presentation-requests'],
      ['GET', '/trust/snapshot'],
      ['GET', '/verification-log'],
    ] as const) {
      const response = await fetch(`${verifier.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      })
      expect(response.status, `${method} ${path}`).toBe(401)
      expect(response.headers.get('content-type')).toContain('application/problem+json')
    }
  })

  it('defaults to port 4300 and a public URL separate from the bind address', () => {
    const config = loadVerifierConfig({})
    expect(config.FLORA_VERIFIER_PORT).toBe(4300)
    expect(config.FLORA_VERIFIER_PUBLIC_URL).toBe('http://localhost:4300')
    expect(config.FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS).toBe(300)
    expect(
      loadVerifierConfig({
        FLORA_VERIFIER_HOST: '0.0.0.0',
        FLORA_VERIFIER_PUBLIC_URL: 'https://verifier.example.eu/',
      }),
    ).toMatchObject({
      FLORA_VERIFIER_HOST: '0.0.0.0',
      FLORA_VERIFIER_PUBLIC_URL: 'https://verifier.example.eu',
    })
  })
})
