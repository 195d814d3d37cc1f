import { describe, expect, it } from 'vitest'
import pkg from '../../package.json' with { type: 'json' }
import { healthReport, healthSchema } from '../../src/lib/server/health.ts'
import { openApiDocument } from '../../src/lib/server/openapi.ts'

describe('/health and /openapi.json', () => {
  it('reports ok with the common service shape and the package version', async () => {
    const report = healthSchema.parse(await healthReport())
    expect(report).toMatchObject({ status: 'ok', service: 'wallet-ui', version: pkg.version, checks: {} })
    expect(report.uptimeSeconds).toBeGreaterThanOrEqual(0)
  })

  it('turns degraded when a check fails, naming it', async () => {
    const report = await healthReport({
      db: async () => {},
      issuer: async () => {
        throw new Error('connection refused')
      },
    })
    expect(report.status).toBe('degraded')
    expect(report.checks).toEqual({ db: 'ok', issuer: 'failing: connection refused' })
  })

  it('describes /health from the same schema, with the public URL as server', () => {
    const doc = openApiDocument('https://wallet.example') as {
      openapi: string
      servers: { url: string }[]
      paths: Record<
        string,
        {
          get: {
            responses: Record<string, { content?: Record<string, { schema: { required?: string[] } }> }>
          }
        }
      >
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.servers).toEqual([{ url: 'https://wallet.example' }])
    const schema = doc.paths['/health']!.get.responses['200']!.content!['application/json']!.schema
    expect(schema.required?.sort()).toEqual(['checks', 'service', 'status', 'uptimeSeconds', 'version'])
  })
})
