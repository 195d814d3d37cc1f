import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { EbsiClient, type EbsiEntity, PrismaKeyStore } from '@flora/ebsi-connector'
import { HolderAgent, InMemoryHolderRepository } from '@flora/ebsi-connector/holder'
import { createLogger } from '@flora/service-kit'
import { type RunningIssuer, startIssuer } from '../../src/assembly.ts'
import { loadIssuerConfig } from '../../src/config.ts'
import { createApiToken } from '../../src/services/auth.ts'
import { registerAuthority } from '../../src/services/authorities.ts'
import { onboardAuthorityDid, registerAuthorityOnLedger } from '../../src/services/onboarding.ts'
import { freePort } from './harness.ts'
import { bootstrapPilotChain, type PilotChain, startLedgerProcess } from './ledger.ts'

/** The two databases the issuer runs on. */
export const providers = ['sqlite', 'postgresql'] as const
export type Provider = (typeof providers)[number]

export const tempDatabase = (provider: Provider): Promise<TestDatabase> =>
  provider === 'sqlite' ? Promise.resolve(tempSqliteDatabase()) : tempPostgresDatabase()

/** The embedded ledger node as a separate process, with the pilot trust chain on it. */
export interface LedgerNetwork {
  url: string
  ebsi: EbsiClient
  chain: PilotChain
  stop(): Promise<void>
}

export async function startLedgerNetwork(types: string[]): Promise<LedgerNetwork> {
  const ledger = await startLedgerProcess()
  const ebsi = new EbsiClient({ baseUrl: ledger.url })
  const chain = await bootstrapPilotChain(ebsi, ledger.operatorFile, types)
  return { url: ledger.url, ebsi, chain, stop: ledger.stop }
}

/** The issuer's service clock, which a test may move forward (expiry, cache ages, retention). */
export interface TestClock {
  now(): Date
  advance(ms: number): void
}

export function testClock(): TestClock {
  let offset = 0
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms
    },
  }
}

export interface LedgerIssuer {
  issuer: RunningIssuer
  url: string
  /** The environment the issuer was configured with (a second instance on the same database uses it). */
  env: Record<string, string>
  clock: TestClock
  authorityId: string
  /** The tenant authority as an EBSI entity (its did:ebsi on the ledger). */
  entity: EbsiEntity
  /** Its TIR attribute (the TI accreditation of TAO Germany). */
  attributeId: string
  /** A staff API token of the authority. */
  token: string
  close(): Promise<void>
}

/**
 * The issuer service on `provider` against the ledger node, with one tenant authority onboarded on
 * the ledger and accredited by TAO Germany for `types` — as the deployment operator and the TAO set
 * it up. Authority ids must differ between issuers of one test process (module caches are keyed by
 * them).
 */
export async function startLedgerIssuer(
  network: LedgerNetwork,
  args: {
    provider: Provider
    authorityId: string
    role: string
    types: string[]
    env?: Record<string, string>
  },
): Promise<LedgerIssuer> {
  const database = await tempDatabase(args.provider)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env = {
    FLORA_ISSUER_DATABASE_URL: database.url,
    FLORA_DATA_DIR: database.dataDir,
    FLORA_ISSUER_HOST: '127.0.0.1',
    FLORA_ISSUER_PORT: String(port),
    FLORA_ISSUER_PUBLIC_URL: url,
    FLORA_LEDGER_URL: network.url,
    FLORA_ISSUER_ANCHOR_INTERVAL_MS: '3600000',
    FLORA_ISSUER_ANCHOR_MIN_BATCH: '4',
    FLORA_LOG_LEVEL: 'silent',
    ...args.env,
  }
  const clock = testClock()
  const issuer = await startIssuer(loadIssuerConfig(env), {
    logger: createLogger('issuer', process.env.ISSUER_TEST_LOG ?? 'silent'),
    now: clock.now,
  })
  const ctx = issuer.context
  await registerAuthority(ctx, { id: args.authorityId, name: args.authorityId, role: args.role })
  const entity = await onboardAuthorityDid(
    ctx,
    network.ebsi,
    issuer.keyStore,
    args.authorityId,
    network.chain.authoriseOnboarding,
  )
  const attributeId = await network.chain.accreditTi(entity, args.types)
  await registerAuthorityOnLedger(ctx, network.ebsi, entity, args.authorityId, attributeId)
  const { token } = await createApiToken(ctx, undefined, {
    authorityId: args.authorityId,
    name: 'case system',
    role: 'staff',
  })
  return {
    issuer,
    url,
    env,
    clock,
    authorityId: args.authorityId,
    entity,
    attributeId,
    token,
    close: async () => {
      await issuer.close()
      await database.dispose()
    },
  }
}

/**
 * A second instance of the issuer as a process of its own on the same database and secrets (what a
 * deployment with several instances behind a load balancer runs).
 */
export async function spawnIssuerInstance(env: Record<string, string>): Promise<{
  url: string
  stop(): Promise<void>
}> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, '../../src/main.ts')],
    {
      cwd: resolve(import.meta.dirname, '../..'),
      env: {
        ...process.env,
        ...env,
        FLORA_ISSUER_PORT: String(port),
        FLORA_ISSUER_PUBLIC_URL: url,
        FLORA_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`issuer instance exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {}
    if (Date.now() > deadline) throw new Error('issuer instance did not start within 60 s')
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
      }
    },
  }
}

/** A case wallet: the holder agent of @flora/ebsi-connector with its own key store and repository. */
export interface TestWallet {
  agent: HolderAgent
  repository: InMemoryHolderRepository
  close(): Promise<void>
}

export async function startWallet(fetchImpl?: typeof fetch): Promise<TestWallet> {
  const database = tempSqliteDatabase()
  const db: Db<'wallet'> = await createDb({ service: 'wallet', url: database.url })
  const keys = new PrismaKeyStore({ db: db.client, kek: randomBytes(32), owner: 'case-wallet' })
  const repository = new InMemoryHolderRepository()
  const agent = new HolderAgent({
    keys,
    repository,
    resolveDid: async () => undefined,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  })
  return {
    agent,
    repository,
    close: async () => {
      await db.close()
      await database.dispose()
    },
  }
}
