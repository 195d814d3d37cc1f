/** One HTTP exchange the client made. */
export interface Exchange {
  method: string
  url: string
  status: number
  /** JSON-RPC method or token scope of the request, when there is one. */
  operation?: string
  /** problem+json `code` of an error answer. */
  code?: string
}

/** A fetch that records what the client sends and what the node answers (for assertions). */
export function recordingFetch(): { fetch: typeof fetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = []
  const recorder: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const body = typeof init?.body === 'string' ? init.body : undefined
    let operation: string | undefined
    if (body?.startsWith('{')) operation = (JSON.parse(body) as { method?: string }).method
    else if (body) operation = new URLSearchParams(body).get('scope') ?? undefined
    const response = await fetch(input, init)
    let code: string | undefined
    if (!response.ok) {
      try {
        code = ((await response.clone().json()) as { code?: string }).code
      } catch {
        // not JSON
      }
    }
    exchanges.push({ method: init?.method ?? 'GET', url, status: response.status, operation, code })
    return response
  }
  return { fetch: recorder, exchanges }
}
