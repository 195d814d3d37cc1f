import {
  EbsiJsonRpcError,
  EbsiNotFound,
  EbsiProblem,
  EbsiResponseInvalid,
  EbsiUnauthorised,
  EbsiUnreachable,
  type ProblemDetails,
} from './errors.ts'

/** Options shared by every API client. */
export interface EbsiHttpOptions {
  /** Origin of the EBSI APIs, e.g. `https://api-pilot.ebsi.eu` or `http://localhost:4100`. */
  baseUrl: string
  /** fetch implementation (default: global fetch). */
  fetch?: typeof fetch
  /** Per-request timeout in ms (default 15 000). */
  timeoutMs?: number
  /** Extra headers on every request (e.g. `Conformance`). */
  headers?: Record<string, string>
}

let rpcId = 1

/** Thin HTTP layer: JSON in and out, problem+json mapped to typed errors. */
export class EbsiHttp {
  readonly baseUrl: string
  readonly #fetch: typeof fetch
  readonly #timeoutMs: number
  readonly #headers: Record<string, string>

  constructor(options: EbsiHttpOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) throw new TypeError('"baseUrl" must be an http(s) URL')
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.#fetch = options.fetch ?? globalThis.fetch
    this.#timeoutMs = options.timeoutMs ?? 15_000
    this.#headers = options.headers ?? {}
  }

  /** Absolute URL of an API path (`/did-registry/v5/...`). */
  url(path: string): string {
    return path.startsWith('http') ? path : `${this.baseUrl}${path}`
  }

  async getJson<T>(
    path: string,
    query?: Record<string, string | number | undefined>,
    accept?: string,
  ): Promise<T> {
    const response = await this.request(withQuery(this.url(path), query), {
      method: 'GET',
      headers: { accept: accept ?? 'application/json' },
    })
    return (await readJson(response)) as T
  }

  async getText(path: string): Promise<string> {
    const response = await this.request(this.url(path), { method: 'GET' })
    return response.text()
  }

  async postJson<T>(path: string, body: unknown, token?: string): Promise<T> {
    const response = await this.request(this.url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return (await readJson(response)) as T
  }

  async postForm<T>(path: string, form: Record<string, string>): Promise<T> {
    const response = await this.request(this.url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
    return (await readJson(response)) as T
  }

  /** JSON-RPC 2.0 call; returns `result` or throws EbsiJsonRpcError / EbsiProblem. */
  async jsonRpc<T>(path: string, method: string, params: unknown[], token?: string): Promise<T> {
    const body = await this.postJson<{
      result?: T
      error?: { code: number; message: string; data?: unknown }
    }>(path, { jsonrpc: '2.0', method, params, id: rpcId++ }, token)
    if (body.error) throw new EbsiJsonRpcError(method, body.error)
    if (!('result' in body)) throw new EbsiResponseInvalid(`${method}: JSON-RPC response without result`)
    return body.result as T
  }

  async request(url: string, init: RequestInit): Promise<Response> {
    let response: Response
    try {
      response = await this.#fetch(url, {
        ...init,
        headers: { ...this.#headers, ...(init.headers as Record<string, string>) },
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
    } catch (cause) {
      throw new EbsiUnreachable(`${init.method ?? 'GET'} ${url} failed: ${(cause as Error).message}`, {
        cause,
      })
    }
    if (response.ok) return response
    const problem = await readProblem(response)
    if (response.status === 404) throw new EbsiNotFound(url, 404, problem)
    if (response.status === 401 || response.status === 403)
      throw new EbsiUnauthorised(url, response.status, problem)
    throw new EbsiProblem(url, response.status, problem)
  }
}

function withQuery(url: string, query?: Record<string, string | number | undefined>): string {
  if (!query) return url
  const u = new URL(url)
  for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v))
  return u.toString()
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new EbsiResponseInvalid(`${response.url}: response is not JSON`, { cause })
  }
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  const text = await response.text().catch(() => '')
  try {
    const body = JSON.parse(text) as unknown
    if (body && typeof body === 'object') return body as ProblemDetails
  } catch {
    // not JSON
  }
  return {
    title: response.statusText || 'error',
    status: response.status,
    detail: text.slice(0, 500) || undefined,
  }
}
