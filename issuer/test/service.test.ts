import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadIssuerConfig } from '../src/index.ts'
import { bootIssuer, type TestIssuer } from './helpers/harness.ts'

let t: TestIssuer

beforeAll(async () => {
  t = await bootIssuer()
})
afterAll(async () => {
  await t?.close()
})

describe('issuer service', () => {
  it('reports healthy with its database reachable', async () => {
    const response = await fetch(`${t.url}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      status: 'ok',
      service: 'issuer',
      checks: { database: 'ok' },
    })
  })

  it('serves its OpenAPI description with every endpoint', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, unknown>
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/session',
        '/cases',
        '/cases/{caseId}/milestones',
        '/milestones/{milestoneId}/revoke',
        '/milestones/{milestoneId}/corrections',
        '/authorities/{authorityId}/status-lists/{purpose}/{number}',
        '/authorities/{authorityId}/token',
        '/authorities/{authorityId}/v1/credential',
        '/authorities/{authorityId}/v1/nonce',
        '/admin/audit',
        '/anchoring/proofs/{credentialId}',
      ]),
    )
  })

  it('defaults to port 4200 and a public URL separate from the bind address', () => {
    const config = loadIssuerConfig({})
    expect(config.FLORA_ISSUER_PORT).toBe(4200)
    expect(config.FLORA_ISSUER_PUBLIC_URL).toBe('http://localhost:4200')
    expect(config.FLORA_ISSUER_CREDENTIAL_VALIDITY_MONTHS).toBe(36)
    expect(
      loadIssuerConfig({
        FLORA_ISSUER_HOST: '0.0.0.0',
        FLORA_ISSUER_PUBLIC_URL: 'https://issuer.example.eu/',
      }),
    ).toMatchObject({ FLORA_ISSUER_HOST: '0.0.0.0', FLORA_ISSUER_PUBLIC_URL: 'https://issuer.example.eu' })
  })
})
