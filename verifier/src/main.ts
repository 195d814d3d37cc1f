import { createDb } from '@flora/db'
import { closeOnSignals, createLogger, listen } from '@flora/service-kit'
import { createVerifierApp } from './app.ts'
import { loadVerifierConfig } from './config.ts'

const config = loadVerifierConfig()
const logger = createLogger('verifier', config.FLORA_LOG_LEVEL)
const db = await createDb({ service: 'verifier', url: config.FLORA_VERIFIER_DATABASE_URL })
const { app, services } = await createVerifierApp({ config, db, logger })
const server = await listen(app, { host: config.FLORA_VERIFIER_HOST, port: config.FLORA_VERIFIER_PORT })
logger.info(
  { url: server.url, publicUrl: config.FLORA_VERIFIER_PUBLIC_URL, did: services.identity.did, offline: config.FLORA_VERIFIER_OFFLINE },
  'verifier listening',
)
closeOnSignals(async () => {
  await server.close()
  await db.close()
}, logger)
