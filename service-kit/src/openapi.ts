import { z } from 'zod'

export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** OpenAPI path template, e.g. `/cases/{caseId}`. */
  path: string
  summary: string
  tags?: string[]
  security?: Record<string, string[]>[]
  body?: z.ZodType
  query?: z.ZodObject
  responses: Record<string, { description: string; schema?: z.ZodType; contentType?: string }>
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    'invalid-params': {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, reason: { type: 'string' } } },
    },
  },
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  return rest
}

/**
 * Builds an OpenAPI 3.1 document from the same zod schemas the routes validate with, so the
 * description cannot drift from the behaviour. Every operation documents problem+json errors.
 */
export function buildOpenApi(info: {
  title: string
  version: string
  description: string
  serverUrl: string
  operations: OperationSpec[]
  securitySchemes?: Record<string, unknown>
}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of info.operations) {
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
        name: match[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: jsonSchema(schema as z.ZodType, 'input'),
      })),
    ]
    const responses: Record<string, unknown> = {}
    for (const [status, response] of Object.entries(op.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? 'application/json']: {
                  schema: jsonSchema(response.schema, 'output'),
                },
              },
            }
          : {}),
      }
    }
    responses.default = {
      description: 'Error (RFC 9457 problem details)',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    }
    paths[op.path] ??= {}
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(op.tags ? { tags: op.tags } : {}),
      ...(op.security ? { security: op.security } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
            },
          }
        : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    paths,
    components: { schemas: { Problem: problemSchema }, securitySchemes: info.securitySchemes ?? {} },
  }
}

/** The operations every service has. */
export const standardOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Liveness and readiness of the service and its dependencies',
    tags: ['operations'],
    responses: {
      '200': {
        description: 'Healthy',
        schema: z.object({
          status: z.enum(['ok', 'degraded']),
          service: z.string(),
          version: z.string(),
          uptimeSeconds: z.number(),
          checks: z.record(z.string(), z.string()),
        }),
      },
      '503': { description: 'A dependency is failing' },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI description',
    tags: ['operations'],
    responses: { '200': { description: 'OpenAPI 3.1 document' } },
  },
]
