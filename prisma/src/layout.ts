import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Where the one model source, the composed per-provider schemas, the committed migrations and the
// generated clients live. Every script and the runtime read paths from here.
export const services = ['ledger', 'issuer', 'verifier', 'wallet'] as const
export type ServiceName = (typeof services)[number]
export const providers = ['sqlite', 'postgresql'] as const
export type Provider = (typeof providers)[number]

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
export const modelsDir = join(packageRoot, 'models')
export const composedSchemaPath = (service: ServiceName, provider: Provider) =>
  join(packageRoot, 'schemas', service, `${provider}.prisma`)
export const migrationsDir = (service: ServiceName, provider: Provider) =>
  join(packageRoot, 'migrations', service, provider)
export const generatedClientDir = (service: ServiceName, provider: Provider) =>
  join(packageRoot, 'src', 'generated', `${service}-${provider}`)
