import { createDb } from '@flora/db'
import { closeOnSignals, createLogger, listen, runClustered } from '@flora/service-kit'
import { createVerifierApp } from './app.ts'
import { loadVerifierConfig } from './config.ts'
import { startRequestExpirySweep } from './services/request-expiry.ts'

const config = loadVerifierConfig()
const logger = createLogger('verifier', config.FLORA_LOG_LEVEL)
const openDb = () => createDb({ service: 'verifier', url: config.FLORA_VERIFIER_DATABASE_URL })

await runClustered({
  workers: config.FLORA_VERIFIER_WORKERS,
  logger,
  // Once, before the workers: migrations, the verifier's keys, the admin account and the
  // deployment-admin token file are created here, so workers starting together never race.
  async prepare() {
    const db = await openDb()
    try {
      await createVerifierApp({ config, db, logger })
    } finally {
      await db.close()
    }
  },
  async serve(siblings) {
    const db = await openDb()
    const { app, services } = await createVerifierApp({ config, db, logger, siblings })
    await db.sqliteWriter?.start()
    const server = await listen(app, { host: config.FLORA_VERIFIER_HOST, port: config.FLORA_VERIFIER_PORT })
    const sweep = startRequestExpirySweep(services.oid4vp, services.nonces, config.FLORA_VERIFIER_REQUEST_SWEEP_SECONDS, logger)
    logger.info(
      {
        url: server.url,
        publicUrl: config.FLORA_VERIFIER_PUBLIC_URL,
        did: services.identity.did,
        offline: config.FLORA_VERIFIER_OFFLINE,
      },
      'verifier listening',
    )
    closeOnSignals(async () => {
      await sweep.stop()
      await server.close()
      await db.close()
    }, logger)
  },
})
