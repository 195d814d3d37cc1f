import { z } from 'zod'
import { healthSchema, SERVICE_VERSION } from './health.ts'

const schemaOf = (schema: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>
  return rest
}

/**
 * The OpenAPI 3.1 description of the app's JSON endpoints (pages are HTML and not described). Built
 * from the same zod schema /health answers with, so the two cannot drift.
 */
export function openApiDocument(publicUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'FLORA-VC wallet-ui',
      version: SERVICE_VERSION,
      description: 'JSON endpoints of the FLORA-VC wallet UI (case wallets, staff and verifier workspaces).',
    },
    servers: [{ url: publicUrl }],
    paths: {
      '/health': {
        get: {
          summary: 'Liveness and readiness of the wallet UI and its dependencies',
          tags: ['operations'],
          responses: {
            '200': {
              description: 'Healthy',
              content: { 'application/json': { schema: schemaOf(healthSchema) } },
            },
            '503': {
              description: 'A dependency is failing',
              content: { 'application/json': { schema: schemaOf(healthSchema) } },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This OpenAPI description',
          tags: ['operations'],
          responses: { '200': { description: 'OpenAPI 3.1 document' } },
        },
      },
    },
  }
}
