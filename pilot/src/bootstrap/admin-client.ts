/** A JSON client of a service's deployment-admin API (Bearer = the deployment-admin token). */
export class AdminClient {
  constructor(
    readonly service: string,
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  /**
   * One call; answers with the status and parsed body when the status is 2xx or one of `accept`,
   * else throws with the problem's detail.
   */
  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    accept: number[] = [],
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(120_000),
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      // not JSON: keep the text for the error message
    }
    if (!response.ok && !accept.includes(response.status)) {
      const problem = parsed as { detail?: string; title?: string; 'invalid-params'?: unknown } | undefined
      const detail =
        typeof problem === 'object' && problem
          ? `${problem.title ?? ''}${problem.detail ? `: ${problem.detail}` : ''}${problem['invalid-params'] ? ` ${JSON.stringify(problem['invalid-params'])}` : ''}`
          : String(parsed)
      throw new Error(`${this.service} ${method} ${path} answered ${response.status} ${detail}`)
    }
    return { status: response.status, body: parsed as T }
  }

  async get<T = Record<string, unknown>>(path: string): Promise<T> {
    return (await this.call<T>('GET', path)).body
  }

  async post<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
    return (await this.call<T>('POST', path, body ?? {})).body
  }
}
