import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type IssuerProxyData, proxyIdOf, utf8ToHex } from '../../src/core/index.ts'
import { LedgerTestClient } from '../node/helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from '../node/helpers/node-under-test.ts'
import { startStatusListServer } from '../node/helpers/status-list-server.ts'
import { bootstrapTrustChain, type TrustChain } from '../node/helpers/trust-chain.ts'
import { endlessBody } from './helpers/endless-body.ts'
import { rawGet } from './helpers/raw-http.ts'
import { startRelay } from './helpers/relay.ts'

const TIR = '/trusted-issuers-registry/v5'
const HOP = 'flora-ledger-hop'
const PREFIX_PATH = '/credentials/status'
const CAP_BYTES = 256 * 1024
const PROXY_CONCURRENCY = 4
const ONE_GIB = 1024 * 1024 * 1024

/** Proxied paths that try to leave the prefix, each as it goes on the wire after `/proxies/{id}/`. */
const TRAVERSALS = [
  '..%5C..%5C..%5C..%5Cadmin%5Cauthorities',
  '..%5c..%5chealth',
  '1%5C..%5C..%5C..%5Cadmin',
  '%2e%2e/%2e%2e/%2e%2e/admin/authorities',
  '%2E%2e/%2e%2E/%2E%2E/health',
  '%2e%2e%2f%2e%2e%2fadmin',
  '1%2f..%2f..%2f..%2fadmin',
  '.%2e/.%2E/admin',
  '%2e./%2E./admin',
  '%252e%252e/%252e%252e/admin',
  '..%255C..%255Cadmin',
  '%255c%255c',
  '1%25',
  '../../../admin',
  '..\\..\\..\\admin',
  './1',
  '1/./2',
  '%2e/1',
  '1/.',
  '1/%2e',
  '1%00',
  '1%0d%0aX-Injected:%201',
  '1%09',
  '%7f',
  '1%C2%85',
  '1%E0%A4%A',
  '1//2',
]

const backends: [string, () => Promise<TestDatabase>][] = [
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

describe.each(backends)('the TIR proxy under hostile input on %s', (_name, makeDatabase) => {
  const operator = newOperator()
  const endless = endlessBody(`${PREFIX_PATH}/endless`, ONE_GIB)
  let database: TestDatabase
  let ledgerUrl: string
  let client: LedgerTestClient
  let chain: TrustChain
  let upstream: Awaited<ReturnType<typeof startStatusListServer>>
  let closeNode: () => Promise<void>
  let proxyId: string
  let cases = 0

  const proxyPath = (id: string, rest = '') => `${TIR}/issuers/${chain.ti.did}/proxies/${id}${rest}`

  /** A fresh proxy of the TI on the recording upstream (its own id: the headers differ). */
  async function addProxy(): Promise<string> {
    cases += 1
    const proxyData: IssuerProxyData = {
      prefix: `${upstream.url}${PREFIX_PATH}`,
      headers: { 'x-case': String(cases) },
      testSuffix: '/1',
    }
    await client.writeOk(
      chain.ti,
      'trusted-issuers-registry/v5',
      'addIssuerProxy',
      { did: chain.ti.did, proxyData: utf8ToHex(JSON.stringify(proxyData)) },
      await client.token(chain.ti, 'tir_write'),
    )
    return proxyIdOf(chain.ti.did, proxyData)
  }

  const updateParams = (id: string, prefix: string) => ({
    from: chain.ti.address,
    did: chain.ti.did,
    proxyId: id,
    proxyData: utf8ToHex(JSON.stringify({ prefix, headers: {}, testSuffix: '/1' })),
  })

  beforeAll(async () => {
    database = await makeDatabase()
    const started = await startNode(
      testConfig(database.url, operator, {
        outboundMaxBytes: CAP_BYTES,
        proxyConcurrency: PROXY_CONCURRENCY,
      }),
    )
    closeNode = () => started.node.close()
    ledgerUrl = started.url
    client = new LedgerTestClient(ledgerUrl)
    chain = await bootstrapTrustChain(client, operator)
    upstream = await startStatusListServer(chain.ti, { route: endless.route })
    proxyId = await addProxy()
  })
  afterAll(async () => {
    await upstream?.close()
    await closeNode?.()
    await database?.dispose()
  })

  it('forwards a path under the prefix, marked with the hop header (the control)', async () => {
    const answer = await rawGet(ledgerUrl, proxyPath(proxyId, '/7'))
    expect(answer.status).toBe(200)
    expect(String(answer.body).split('.')).toHaveLength(3)
    const last = upstream.received.at(-1)
    expect(last?.url).toBe(`${PREFIX_PATH}/7`)
    expect(last?.headers[HOP]).toBeDefined()
  })

  it('answers every traversal variant 400 problem+json, and nothing reaches the upstream', async () => {
    for (const traversal of TRAVERSALS) {
      const before = upstream.received.length
      const answer = await rawGet(ledgerUrl, proxyPath(proxyId, `/${traversal}`))
      expect(answer.status, traversal).toBe(400)
      expect(answer.contentType, traversal).toMatch(/^application\/problem\+json/)
      expect(upstream.received.slice(before), traversal).toEqual([])
    }
    const outside = upstream.received.filter((r) => !r.url.startsWith(`${PREFIX_PATH}/`))
    expect(outside).toEqual([])
  })

  it('refuses a proxy prefix on its own origin, so that the proxy test cannot run through itself', async () => {
    const token = await client.token(chain.ti, 'tir_write')
    const { port } = new URL(ledgerUrl)
    for (const origin of [ledgerUrl, `http://localhost:${port}`]) {
      const before = upstream.received.length
      const answer = await client.rpc(
        'trusted-issuers-registry/v5',
        'updateIssuerProxy',
        [updateParams(proxyId, `${origin}${proxyPath(proxyId)}`)],
        token,
      )
      expect(answer.status, origin).toBe(400)
      expect(answer.body.detail, origin).toMatch(/own origin/)
      expect(upstream.received.slice(before), origin).toEqual([])
    }
    expect((await client.get(proxyPath(proxyId))).body.prefix).toBe(`${upstream.url}${PREFIX_PATH}`)
  })

  it('refuses any request that carries its hop header', async () => {
    const before = upstream.received.length
    for (const path of [proxyPath(proxyId, '/7'), `${TIR}/issuers`, '/health']) {
      const answer = await rawGet(ledgerUrl, path, { [HOP]: '1' })
      expect(answer.status, path).toBe(400)
      expect(answer.contentType, path).toMatch(/^application\/problem\+json/)
      expect(answer.body.code, path).toBe('ERR_PROXY_LOOP')
    }
    expect(upstream.received.slice(before)).toEqual([])
  })

  it('refuses a prefix on a relay that leads back into the ledger (the hop header comes back)', async () => {
    const id = await addProxy()
    const relay = await startRelay(() => `${ledgerUrl}${proxyPath(id)}`, { stripHeaders: false })
    try {
      const answer = await client.rpc(
        'trusted-issuers-registry/v5',
        'updateIssuerProxy',
        [updateParams(id, relay.url)],
        await client.token(chain.ti, 'tir_write'),
      )
      expect(answer.status).toBe(400)
      expect(relay.count()).toBe(1)
      expect((await client.get(proxyPath(id))).body.prefix).toBe(`${upstream.url}${PREFIX_PATH}`)
    } finally {
      await relay.close()
    }
  })

  it('stops a chain through a relay that hides the hop header at the per-proxy concurrency cap', async () => {
    const id = await addProxy()
    const relay = await startRelay(() => `${ledgerUrl}${proxyPath(id)}`, { stripHeaders: true })
    try {
      // The relay hides the loop from the proxy test: the update is accepted.
      await client.writeOk(
        chain.ti,
        'trusted-issuers-registry/v5',
        'updateIssuerProxy',
        updateParams(id, relay.url),
        await client.token(chain.ti, 'tir_write'),
      )
      const before = relay.count()
      const answer = await rawGet(ledgerUrl, proxyPath(id, '/1'))
      expect(answer.status).toBe(502)
      expect(answer.contentType).toMatch(/^application\/problem\+json/)
      expect(relay.count() - before).toBeLessThanOrEqual(PROXY_CONCURRENCY)
    } finally {
      await relay.close()
    }
  })

  it('aborts an oversized proxied body at the cap and answers a problem, without reading it all', async () => {
    const answer = await rawGet(ledgerUrl, proxyPath(proxyId, '/endless'))
    expect(answer.status).toBe(502)
    expect(answer.contentType).toMatch(/^application\/problem\+json/)
    expect(answer.body.detail).toMatch(new RegExp(`more than ${CAP_BYTES} bytes`))
    const sentWhenClosed = await endless.closedEarly
    expect(endless.finished()).toBe(false)
    // What it wrote before the ledger hung up: the cap plus what socket buffers hold, not the gigabyte.
    expect(sentWhenClosed).toBeLessThan(64 * 1024 * 1024)
  })
})
