/** How long a health probe waits for the database (a black-holed connection must not hang /health). */
export const DATABASE_PROBE_MS = 2000

/** `ping`, failing after `ms` when the database does not answer. */
export async function pingWithin(ping: () => Promise<void>, ms = DATABASE_PROBE_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** True when the database answers a round trip in time. */
export function databaseAnswers(ping: () => Promise<void>, ms = DATABASE_PROBE_MS): Promise<boolean> {
  return pingWithin(ping, ms).then(
    () => true,
    () => false,
  )
}

/** Prisma codes for an unreachable, closed, timed-out or exhausted database (not a bad statement). */
const UNAVAILABLE_PRISMA_CODES = new Set([
  'P1001',
  'P1002',
  'P1008',
  'P1011',
  'P1017',
  'P2024',
  'P2028',
  'P2037',
])
/** PostgreSQL SQLSTATE classes: connection exception, insufficient resources (disk full), operator intervention. */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)/
const UNAVAILABLE_SYSTEM_CODES =
  /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOSPC|SQLITE_(BUSY|FULL|IOERR|CANTOPEN|LOCKED))/
const UNAVAILABLE_MESSAGE =
  /connection terminated|connection (is )?closed|server closed the connection|can't reach database|timed out fetching a new connection/i

/**
 * Pure: does the error (or one of its causes) say the database was unavailable, as opposed to a
 * statement or the node's own code being wrong? Used to answer 503 even when the database is
 * back by the time the error is handled.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 8; depth += 1) {
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown }
    if (typeof code === 'string') {
      if (
        UNAVAILABLE_PRISMA_CODES.has(code) ||
        UNAVAILABLE_SQLSTATE.test(code) ||
        UNAVAILABLE_SYSTEM_CODES.test(code)
      )
        return true
    }
    if (name === 'PrismaClientInitializationError') return true
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
