import { composedSchemaPath, providers, services } from '../src/layout.ts'
import { composeAll } from './compose.ts'
import { runPrisma } from './prisma-cli.ts'

// Composes every service × provider schema and generates its client. Runs on `npm install`.
composeAll()
for (const service of services) {
  for (const provider of providers) {
    runPrisma(['generate', '--no-hints', '--schema', composedSchemaPath(service, provider)], {
      provider,
      capture: true,
    })
    console.log(`@flora/db: generated ${service} client for ${provider}`)
  }
}
