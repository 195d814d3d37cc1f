import { closeOnSignals, createLogger } from '@flora/service-kit'
import { loadLedgerConfig } from './config.ts'
import { createLedgerNode } from './server.ts'

// `npm run ledger`: the embedded EBSI-compatible ledger node on port 4100 (FLORA_LEDGER_PORT).
const { config, warnings } = loadLedgerConfig()
const logger = createLogger('ledger', config.logLevel)
for (const warning of warnings) logger.warn(warning)
try {
  const node = await createLedgerNode(config, { logger })
  const server = await node.listen()
  logger.info(
    { url: server.url, publicUrl: node.ctx.publicUrl(), operator: config.operator?.did },
    'ledger node listening',
  )
  closeOnSignals(() => node.close(), logger)
} catch (error) {
  logger.fatal({ err: error }, 'ledger node refused to start')
  process.exit(1)
}
