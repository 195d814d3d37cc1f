import { closeOnSignals, createLogger } from '@flora/service-kit'
import { startIssuer } from './assembly.ts'
import { loadIssuerConfig } from './config.ts'

const config = loadIssuerConfig()
const logger = createLogger('issuer', config.FLORA_LOG_LEVEL)
const issuer = await startIssuer(config, { logger })
logger.info({ url: issuer.server.url, publicUrl: config.FLORA_ISSUER_PUBLIC_URL }, 'issuer listening')
closeOnSignals(() => issuer.close(), logger)
