import { type DestinationStream, type Logger, pino } from 'pino'

export type { Logger } from 'pino'

/**
 * Structured JSON logs (pino). Never log request bodies: they may carry credentials or claims.
 * `destination` (default stdout) lets a test read what would be logged.
 */
export function createLogger(
  service: string,
  level = process.env.FLORA_LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
      remove: true,
    },
  }
  return destination ? pino(options, destination) : pino(options)
}
