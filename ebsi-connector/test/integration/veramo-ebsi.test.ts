import { randomBytes } from 'node:crypto'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { createAgent, type IDIDManager, type IKeyManager, type IResolver, type TAgent } from '@veramo/core'
import { DIDManager } from '@veramo/did-manager'
import { DIDResolverPlugin } from '@veramo/did-resolver'
import { KeyManager } from '@veramo/key-manager'
import { Resolver } from 'did-resolver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authoriseOnboarding, type EbsiClient, timestampHashes } from '../../src/client/index.ts'
import type { EcPublicJwk } from '../../src/core/index.ts'
import { PrismaKeyStore } from '../../src/keys/index.ts'
import {
  EbsiDidProvider,
  getDidEbsiResolver,
  getDidKeyJwkJcsResolver,
  PrismaDidStore,
  PrismaKeyManagementSystem,
  PrismaVeramoKeyStore,
} from '../../src/veramo/index.ts'
import { type RunningLedger, startLedger } from './helpers/ledger.ts'

type Agent = TAgent<IKeyManager & IDIDManager & IResolver>

describe('Veramo did:ebsi provider and resolver against the node', () => {
  let ledger: RunningLedger
  let ebsi: EbsiClient
  let database: TestDatabase
  let db: Db<'ledger'>
  let agent: Agent
  let provider: EbsiDidProvider
  let keys: PrismaKeyStore

  beforeAll(async () => {
    ledger = await startLedger()
    ebsi = ledger.client()
    database = tempSqliteDatabase()
    db = await createDb({ service: 'ledger', url: database.url })
    keys = new PrismaKeyStore({ db: db.client, kek: randomBytes(32), owner: 'veramo' })
    provider = new EbsiDidProvider({ ebsi, keys })
    agent = createAgent<IKeyManager & IDIDManager & IResolver>({
      plugins: [
        new KeyManager({
          store: new PrismaVeramoKeyStore(keys),
          kms: { prisma: new PrismaKeyManagementSystem(keys) },
        }),
        new DIDManager({
          store: new PrismaDidStore({ db: db.client, owner: 'veramo' }),
          defaultProvider: 'did:ebsi',
          providers: { 'did:ebsi': provider },
        }),
        new DIDResolverPlugin({
          resolver: new Resolver({
            ...getDidEbsiResolver({ baseUrl: ledger.url }),
            ...getDidKeyJwkJcsResolver(),
          }),
        }),
      ],
    })
  }, 30_000)

  afterAll(async () => {
    await db?.close()
    await database?.dispose()
    await ledger?.stop()
  })

  it('didManagerCreate onboards a did:ebsi; rollKey rotates it; the resolver honours valid-at', async () => {
    const did = EbsiDidProvider.generateDid()
    const identifier = await agent.didManagerCreate({
      provider: 'did:ebsi',
      alias: 'bamf-test',
      options: {
        did,
        authorisationToOnboard: (controllerKey: EcPublicJwk) =>
          authoriseOnboarding(ebsi, { issuer: ledger.operator, subjectDid: did, controllerKey }),
      },
    })
    expect(identifier.did).toBe(did)
    const [controller, assertion] = identifier.keys
    const resolved = await agent.resolveDid({ didUrl: did })
    expect(resolved.didDocument?.capabilityInvocation).toEqual([`${did}#${controller!.kid}`])
    expect(resolved.didDocument?.assertionMethod).toEqual([`${did}#${assertion!.kid}`])
    expect((await agent.didManagerGet({ did })).alias).toBe('bamf-test')

    const before = new Date()
    await new Promise((r) => setTimeout(r, 1100))
    const rolled = await provider.rollKey({ identifier, oldKid: assertion!.kid }, { agent })
    const newKey = rolled.keys.at(-1)!
    await new Promise((r) => setTimeout(r, 1100))
    const historic = await agent.resolveDid({ didUrl: `${did}?valid-at=${before.toISOString()}` })
    expect(historic.didDocument?.assertionMethod).toEqual([`${did}#${assertion!.kid}`])
    const current = await agent.resolveDid({ didUrl: did })
    expect(current.didDocument?.assertionMethod).toEqual([`${did}#${newKey.kid}`])

    // the rolled identity writes with its keys (VP now signed by the new P-256 key)
    const entity = await provider.entityOf(rolled)
    expect(entity.assertion.kid).toBe(newKey.kid)
    expect(
      (await timestampHashes(ebsi, { writer: entity, hashes: [`0x${randomBytes(32).toString('hex')}`] }))
        .status,
    ).toBe('0x1')
    expect(
      (await agent.resolveDid({ didUrl: 'did:ebsi:zzzzzzzzzzzzzzzzzzzzzz' })).didResolutionMetadata.error,
    ).toBeTruthy()
  })
})
