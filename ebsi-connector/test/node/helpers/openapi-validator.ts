import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { expect } from 'vitest'
import { loadEbsiDocuments, type OpenApiDocument } from '../../../src/node/openapi.ts'
import type { HttpResult } from './ledger-client.ts'

/**
 * Validates responses against EBSI's OpenAPI documents: the schema of the operation's response
 * for the status (or the document's ProblemDetails for statuses the spec does not list), compiled
 * with ajv's JSON Schema 2020-12 dialect (OpenAPI 3.1) and formats.
 */
export class EbsiContract {
  private readonly documents = loadEbsiDocuments()
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
  private readonly cache = new Map<string, ReturnType<InstanceType<typeof Ajv2020>['compile']>>()
  /** Operations checked so far, "METHOD path". */
  readonly covered = new Set<string>()

  constructor() {
    addFormats.default(this.ajv)
  }

  private find(path: string): { api: string; document: OpenApiDocument } {
    for (const [api, document] of Object.entries(this.documents))
      if (document.paths[path]) return { api, document }
    throw new Error(`no EBSI operation for ${path}`)
  }

  schemaFor(method: string, path: string, status: number): { key: string; schema: Record<string, unknown> } {
    const { api, document } = this.find(path)
    const operation = document.paths[path]?.[method.toLowerCase()] as {
      responses: Record<string, { content?: Record<string, { schema: unknown }> }>
    }
    if (!operation) throw new Error(`no ${method} ${path}`)
    const response = operation.responses[String(status)]
    const content = response?.content ? Object.values(response.content)[0] : undefined
    const schema = (content?.schema ?? { $ref: '#/components/schemas/ProblemDetails' }) as Record<
      string,
      unknown
    >
    const key = `${api} ${method} ${path} ${content ? status : 'problem'}`
    return { key, schema: { ...schema, components: document.components } }
  }

  /** Asserts the status and that the body validates against the spec. */
  check(method: string, path: string, result: HttpResult, expectedStatus: number): HttpResult {
    expect(result.status, `${method} ${path}: ${JSON.stringify(result.body).slice(0, 400)}`).toBe(
      expectedStatus,
    )
    if (expectedStatus >= 400) expect(result.contentType).toMatch(/application\/problem\+json/)
    const { key, schema } = this.schemaFor(method, path, expectedStatus)
    let validate = this.cache.get(key)
    if (!validate) {
      validate = this.ajv.compile(schema)
      this.cache.set(key, validate)
    }
    const ok = validate(result.body)
    expect(
      ok,
      `${key}: ${JSON.stringify(validate.errors)} body=${JSON.stringify(result.body).slice(0, 300)}`,
    ).toBe(true)
    this.covered.add(`${method.toUpperCase()} ${path}`)
    return result
  }

  /** Every operation of the seven specs (for coverage assertions). */
  operations(): string[] {
    return Object.values(this.documents).flatMap((document) =>
      Object.entries(document.paths).flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'delete', 'patch', 'head'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      ),
    )
  }
}
