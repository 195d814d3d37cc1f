import { walletConfig } from './config.ts'

/** One named field problem of a problem+json answer (RFC 9457 "invalid-params"). */
export interface InvalidParam {
  name: string
  reason: string
}

/**
 * A call to the issuer, verifier or ledger that did not succeed. `kind` tells the page which message
 * to show: the service was unreachable or too slow, it refused the sign-in, or it answered a problem.
 */
export class ServiceError extends Error {
  constructor(
    readonly service: 'issuer' | 'verifier' | 'ledger',
    readonly kind:
      | 'unreachable'
      | 'timeout'
      | 'unauthenticated'
      | 'forbidden'
      | 'not-found'
      | 'throttled'
      | 'refused',
    readonly status: number,
    readonly detail: string,
    readonly invalidParams: InvalidParam[] = [],
    /** With kind "throttled": the service's Retry-After, seconds. */
    readonly retryAfterSeconds = 0,
  ) {
    super(`${service}: ${detail}`)
    this.name = 'ServiceError'
  }
}

export type Service = 'issuer' | 'verifier' | 'ledger'

export interface CallOptions {
  method?: string
  /** JSON body. */
  body?: unknown
  /** The service session token, sent as that service's session cookie. */
  token?: string
  headers?: Record<string, string>
  timeoutMs?: number
  /** Answer text instead of JSON. */
  text?: boolean
}

/**
 * The session cookie of each service the wallet signs staff in at. A service whose public URL is
 * https prefixes it with `__Host-`; the wallet, which may reach it at another URL, reads either
 * name and sends both (the service reads the one it sets).
 */
export const SESSION_COOKIES = { issuer: 'flora_session', verifier: 'flora_verifier_session' } as const
/** The device cookie of each service (see the services' login throttling). */
export const DEVICE_COOKIES = { issuer: 'flora_device', verifier: 'flora_verifier_device' } as const

function baseOf(service: Service): string {
  return walletConfig().services[service]
}

/**
 * The session travels as the service's own cookie, as from its pages; a change made with it names
 * the origin it is made for (the services refuse cookie-authenticated changes without one, which
 * is what stops other sites' forms). The wallet calls the service at its configured URL.
 */
function authHeaders(service: Service, token: string | undefined): Record<string, string> {
  if (!token || service === 'ledger') return {}
  const name = SESSION_COOKIES[service]
  return { cookie: `${name}=${token}; __Host-${name}=${token}`, origin: new URL(baseOf(service)).origin }
}

/** Fetches from a service; every failure becomes a {@link ServiceError}. */
export async function callRaw(service: Service, path: string, options: CallOptions = {}): Promise<Response> {
  let response: Response
  try {
    response = await fetch(`${baseOf(service)}${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: {
        accept: options.text ? '*/*' : 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...authHeaders(service, options.token),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    })
  } catch (error) {
    const timeout = (error as Error).name === 'TimeoutError'
    throw new ServiceError(service, timeout ? 'timeout' : 'unreachable', 0, String((error as Error).message))
  }
  if (response.ok) return response
  let problem: { detail?: unknown; title?: unknown; 'invalid-params'?: unknown } = {}
  try {
    problem = (await response.json()) as typeof problem
  } catch {
    // not JSON
  }
  const detail = String(problem.detail ?? problem.title ?? `HTTP ${response.status}`)
  const invalid = Array.isArray(problem['invalid-params']) ? (problem['invalid-params'] as InvalidParam[]) : []
  const kind =
    response.status === 401
      ? 'unauthenticated'
      : response.status === 403
        ? 'forbidden'
        : response.status === 404
          ? 'not-found'
          : response.status === 429
            ? 'throttled'
            : 'refused'
  const retryAfter = Number(response.headers.get('retry-after'))
  throw new ServiceError(
    service,
    kind,
    response.status,
    detail,
    invalid,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0,
  )
}

/** JSON call to a service. */
export async function call<T>(service: Service, path: string, options: CallOptions = {}): Promise<T> {
  const response = await callRaw(service, path, options)
  if (response.status === 204) return undefined as T
  if (options.text) return (await response.text()) as T
  return (await response.json()) as T
}
