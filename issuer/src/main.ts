import { createDb } from '@flora/db'
import { closeOnSignals, createLogger, listen } from '@flora/service-kit'
import { createIssuerApp } from './app.ts'
import { loadIssuerConfig } from './config.ts'

const config = loadIssuerConfig()
const logger = createLogger('issuer', config.FLORA_LOG_LEVEL)
const db = await createDb({ service: 'issuer', url: config.FLORA_ISSUER_DATABASE_URL })
const server = await listen(createIssuerApp({ config, db, logger }), {
  host: config.FLORA_ISSUER_HOST,
  port: config.FLORA_ISSUER_PORT,
})
logger.info({ url: server.url, publicUrl: config.FLORA_ISSUER_PUBLIC_URL }, 'issuer listening')
closeOnSignals(async () => {
  await server.close()
  await db.close()
}, logger)
