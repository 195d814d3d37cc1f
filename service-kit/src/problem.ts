import { STATUS_CODES } from 'node:http'

/**
 * An RFC 9457 (formerly 7807) problem. Thrown anywhere in a request; the problem-json middleware is
 * the only place that turns it into a response. Members beyond the standard ones go in `extensions`.
 */
export class HttpProblem extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail: string | undefined
  readonly extensions: Record<string, unknown>

  constructor(
    status: number,
    title: string,
    options: { detail?: string; type?: string; extensions?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(options.detail ?? title, { cause: options.cause })
    this.name = 'HttpProblem'
    this.status = status
    this.title = title
    this.detail = options.detail
    this.type = options.type ?? 'about:blank'
    this.extensions = options.extensions ?? {}
  }
}

export const badRequest = (detail: string, extensions?: Record<string, unknown>) =>
  new HttpProblem(400, 'Bad Request', { detail, extensions })
export const unauthorized = (detail: string) => new HttpProblem(401, 'Unauthorized', { detail })
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', { detail })
export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', { detail })
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', { detail })

export interface ProblemBody {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  [extension: string]: unknown
}

// Reason phrases from Node's own table rather than a copy of it.
const statusTitles: Record<number, string | undefined> = STATUS_CODES

/**
 * Pure: any thrown value → the problem body a client may see. Client errors keep their message;
 * server errors never expose internals.
 */
export function toProblem(error: unknown): ProblemBody {
  if (error instanceof HttpProblem) {
    return {
      ...error.extensions,
      type: error.type,
      title: error.title,
      status: error.status,
      ...(error.detail ? { detail: error.detail } : {}),
    }
  }
  const status = httpStatusOf(error)
  if (status !== undefined && ((status >= 400 && status < 500) || status === 501)) {
    return {
      type: 'about:blank',
      title: statusTitles[status] ?? 'Bad Request',
      status,
      detail: clientMessage(error, status),
    }
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'An unexpected error occurred.',
  }
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const candidate =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode
  return typeof candidate === 'number' && Number.isInteger(candidate) ? candidate : undefined
}

function clientMessage(error: unknown, status: number): string {
  const message = (error as { message?: unknown }).message
  if (status === 400 && typeof message === 'string' && /json|body|parse|unexpected/i.test(message)) {
    return 'The request body is not valid JSON.'
  }
  if (status === 413) return 'The request body is too large.'
  if (status === 415) return 'The request body has an unsupported content type.'
  return typeof message === 'string' && message.length < 300
    ? message
    : (statusTitles[status] ?? 'Bad Request')
}
