import { type Logger, pino } from 'pino'

export type { Logger } from 'pino'

/** Structured JSON logs (pino). Never log request bodies: they may carry credentials or claims. */
export function createLogger(service: string, level = process.env.FLORA_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
      remove: true,
    },
  })
}
