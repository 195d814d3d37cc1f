export { getDidEbsiResolver, type DidEbsiResolverOptions } from './did-ebsi-resolver.ts'
export {
  createDidKeyJwkJcs,
  didKeyJwkJcsDocument,
  getDidKeyJwkJcsResolver,
  jwkFromDidKeyJwkJcs,
} from './did-key-jwk-jcs.ts'
export {
  EbsiDidProvider,
  type EbsiCreateIdentifierOptions,
  type EbsiDidProviderOptions,
} from './ebsi-did-provider.ts'
export { PrismaDidStore, type ServiceSettingDatabase } from './prisma-did-store.ts'
export { PRISMA_KMS, PrismaKeyManagementSystem, PrismaVeramoKeyStore } from './prisma-kms.ts'
