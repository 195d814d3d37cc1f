import { createHash, randomBytes } from 'node:crypto'
import { tempSqliteDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { utf8ToHex } from '../../src/core/index.ts'
import type { LedgerNode } from '../../src/node/server.ts'
import { LedgerTestClient } from './helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from './helpers/node-under-test.ts'
import { bootstrapTrustChain, type TrustChain } from './helpers/trust-chain.ts'

/** mulberry32: a small seeded PRNG so that every run sends the same bodies. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T
  const hex = (bytes: number) => Array.from({ length: bytes * 2 }, () => '0123456789abcdef'[int(16)]).join('')
  const text = (n: number) => Array.from({ length: n }, () => String.fromCharCode(32 + int(95))).join('')
  return { next, int, pick, hex, text }
}

type Rng = ReturnType<typeof prng>

/** A value of a wrong type for any field. */
function junk(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => rng.int(2) === 0,
    () => -rng.int(1e9),
    () => 1e308,
    () => rng.text(rng.int(20)),
    () => `0x${rng.hex(rng.int(40))}z`,
    () => [rng.text(3), 1, null],
    () => ({ nested: { deeper: rng.text(5) } }),
    () => 'did:ebsi:' + rng.text(10),
    () => '0x' + 'f'.repeat(65),
    () => '',
    () => '\u0000\uffff',
  ])()
}

describe('fuzz: malformed bodies never yield a 5xx and never change state', () => {
  const database = tempSqliteDatabase()
  const operator = newOperator()
  let node: LedgerNode
  let client: LedgerTestClient
  let chain: TrustChain
  const tokens: Record<string, string> = {}
  let validSend: Record<string, unknown>

  beforeAll(async () => {
    const started = await startNode(testConfig(database.url, operator))
    node = started.node
    client = new LedgerTestClient(started.url)
    chain = await bootstrapTrustChain(client, operator)
    tokens.didr = await client.token(chain.ti, 'didr_write')
    tokens.tir = await client.token(chain.ti, 'tir_write')
    tokens.ts = await client.token(chain.ti, 'timestamp_write')
    tokens.tsr = await client.token(operator, 'tsr_write')
    const unsigned = await client.build(
      'timestamp/v4',
      'timestampHashes',
      { from: chain.ti.address, hashAlgorithmIds: [0], hashValues: [`0x${randomBytes(32).toString('hex')}`] },
      tokens.ts as string,
    )
    validSend = chain.ti.sign(unsigned) as unknown as Record<string, unknown>
  }, 60_000)
  afterAll(async () => {
    await node?.close()
    await database.dispose()
  })

  async function stateDigest(): Promise<string> {
    const db = node.ctx.db
    const parts = await Promise.all([
      db.ledgerBlock.findMany({ orderBy: { number: 'asc' } }),
      db.ledgerTransaction.count(),
      db.accountNonce.findMany({ orderBy: { address: 'asc' } }),
      db.didDocumentVersion.count(),
      db.didVerificationRelationship.findMany({
        orderBy: [{ did: 'asc' }, { name: 'asc' }, { vMethodId: 'asc' }],
      }),
      db.tirAttribute.findMany({ orderBy: [{ did: 'asc' }, { attributeId: 'asc' }] }),
      db.tirProxy.count(),
      db.tsrSchemaRevision.count(),
      db.tsTimestamp.count(),
      db.tprUser.findMany({ orderBy: { address: 'asc' } }),
    ])
    return createHash('sha256')
      .update(JSON.stringify([...parts, node.ctx.producer.pendingCount]))
      .digest('hex')
  }

  function malformedRpc(rng: Rng): { path: string; body: string; auth?: string } {
    const apis = [
      [
        '/did-registry/v5/jsonrpc',
        'didr',
        [
          'insertDidDocument',
          'addVerificationMethod',
          'addVerificationRelationship',
          'revokeVerificationMethod',
          'expireVerificationMethod',
          'rollVerificationMethod',
        ],
      ],
      [
        '/trusted-issuers-registry/v5/jsonrpc',
        'tir',
        ['setAttributeMetadata', 'setAttributeData', 'addIssuerProxy', 'updateIssuerProxy'],
      ],
      ['/trusted-schemas-registry/v3/jsonrpc', 'tsr', ['insertSchema', 'updateSchema', 'updateMetadata']],
      ['/timestamp/v4/jsonrpc', 'ts', ['timestampHashes']],
    ] as const
    const [path, tokenName, methods] = rng.pick(apis)
    const auth = rng.int(10) === 0 ? (rng.int(2) ? 'Bearer x.y.z' : undefined) : `Bearer ${tokens[tokenName]}`
    const kind = rng.int(7)
    const valid = {
      from: chain.ti.address,
      did: chain.ti.did,
      attributeId: chain.tiAttributeId,
      hashAlgorithmIds: [77],
      hashValues: [`0x${'ab'.repeat(32)}`],
    }
    if (kind === 0) return { path, body: rng.text(rng.int(60)), auth } // not JSON
    if (kind === 1) return { path, body: JSON.stringify(junk(rng)), auth }
    if (kind === 2) {
      const envelope: Record<string, unknown> = {
        jsonrpc: '2.0',
        method: rng.pick(methods),
        params: [valid],
        id: 1,
      }
      envelope[rng.pick(['jsonrpc', 'method', 'params', 'id'])] = junk(rng)
      return { path, body: JSON.stringify(envelope), auth }
    }
    if (kind === 3) {
      // a build method with one required field replaced by junk (or removed)
      const params: Record<string, unknown> = {
        ...valid,
        schemaId: `0x${rng.hex(32)}`,
        schema: utf8ToHex('{}'),
        metadata: '0x7b7d',
        proxyData: 'zz',
        attributeData: '0x00',
        issuerType: 9,
        name: 'bogus',
        vMethodId: '',
        publicKey: '0x00',
        notBefore: 'x',
        notAfter: -1,
      }
      const field = rng.pick(Object.keys(params))
      if (rng.int(2)) delete params[field]
      else params[field] = junk(rng)
      return {
        path,
        body: JSON.stringify({
          jsonrpc: '2.0',
          method: rng.pick(methods),
          params: rng.int(5) ? [params] : [params, params],
          id: rng.int(1000),
        }),
        auth,
      }
    }
    if (kind === 4) {
      // sendSignedTransaction with a mutated signed transaction (always to the timestamp contract)
      const send = JSON.parse(JSON.stringify(validSend)) as Record<string, unknown> & {
        unsignedTransaction: Record<string, unknown>
      }
      const mutation = rng.int(5)
      if (mutation === 0) {
        const raw = send.signedRawTransaction as string
        const at = 2 + 2 * rng.int((raw.length - 2) / 2)
        const byte = (Number.parseInt(raw.slice(at, at + 2), 16) ^ (1 + rng.int(255)))
          .toString(16)
          .padStart(2, '0')
        send.signedRawTransaction = raw.slice(0, at) + byte + raw.slice(at + 2)
      } else if (mutation === 1) send[rng.pick(['r', 's', 'v', 'protocol'])] = junk(rng)
      else if (mutation === 2)
        send.unsignedTransaction[rng.pick(Object.keys(send.unsignedTransaction))] = junk(rng)
      else if (mutation === 3) send.unsignedTransaction.nonce = `0x${(1000 + rng.int(1000)).toString(16)}`
      else send.signedRawTransaction = `0x${rng.hex(rng.int(120))}`
      return {
        path: '/timestamp/v4/jsonrpc',
        body: JSON.stringify({ jsonrpc: '2.0', method: 'sendSignedTransaction', params: [send], id: 7 }),
        auth: `Bearer ${tokens.ts}`,
      }
    }
    if (kind === 5) {
      const call = {
        jsonrpc: '2.0',
        method: rng.pick([
          'eth_getTransactionReceipt',
          'eth_getBlockByNumber',
          'eth_getTransactionByHash',
          'eth_sendRawTransaction',
          'debug_x',
        ]),
        params: [junk(rng), junk(rng)],
        id: rng.int(10),
      }
      return {
        path: '/ledger/v4/blockchains/besu',
        body: JSON.stringify(rng.int(3) ? call : [call, junk(rng)]),
      }
    }
    return {
      path: `/did-registry/v5/identifiers/${chain.ti.did}/actions`,
      body: JSON.stringify({
        jsonrpc: rng.pick(['2.0', '1.0', 2]),
        method: rng.pick(['checkController', 'x', 5]),
        params: [junk(rng)],
        id: rng.pick([1, 'a', null]),
      }),
    }
  }

  it('sends 1,200 deterministic malformed bodies to the JSON-RPC and REST endpoints', async () => {
    const rng = prng(20261126)
    const before = await stateDigest()
    const failures: string[] = []
    let sent = 0
    const check = (label: string, status: number, contentType: string, body: unknown) => {
      sent += 1
      const problem = body as { status?: unknown; title?: unknown }
      if (
        status < 400 ||
        status >= 500 ||
        !/application\/problem\+json/.test(contentType) ||
        typeof problem?.title !== 'string' ||
        problem.status !== status
      ) {
        failures.push(`${label} → ${status} ${contentType} ${JSON.stringify(body).slice(0, 200)}`)
      }
    }
    for (let i = 0; i < 800; i += 1) {
      const { path, body, auth } = malformedRpc(rng)
      const response = await fetch(`${client.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body,
      })
      const text = await response.text()
      check(
        `POST ${path} ${body.slice(0, 120)}`,
        response.status,
        response.headers.get('content-type') ?? '',
        safeJson(text),
      )
    }
    for (let i = 0; i < 200; i += 1) {
      const form: Record<string, string> = {
        grant_type: 'vp_token',
        scope: 'openid didr_write',
        vp_token: 'a.b.c',
        presentation_submission: '{}',
      }
      const field = rng.pick(Object.keys(form))
      form[field] = String(junk(rng))
      if (rng.int(3) === 0) delete form[rng.pick(Object.keys(form))]
      const asJson = rng.int(4) === 0
      const response = await fetch(`${client.url}/authorisation/v4/token`, {
        method: 'POST',
        headers: { 'content-type': asJson ? 'application/json' : 'application/x-www-form-urlencoded' },
        body: asJson ? rng.text(rng.int(40)) : new URLSearchParams(form).toString(),
      })
      check(
        `POST token ${JSON.stringify(form).slice(0, 120)}`,
        response.status,
        response.headers.get('content-type') ?? '',
        safeJson(await response.text()),
      )
    }
    const gets = [
      () => `/did-registry/v5/identifiers/x${encodeURIComponent(String(junk(rng)))}`,
      () =>
        `/did-registry/v5/identifiers?page[size]=${rng.pick(['51', '0', '-1', 'abc', '1e9', '999999999999'])}`,
      () => `/did-registry/v5/identifiers/${chain.ti.did}?valid-at=${encodeURIComponent(rng.text(8))}`,
      () => `/trusted-issuers-registry/v5/issuers/${chain.ti.did}/attributes/${rng.hex(rng.int(40))}`,
      () => `/trusted-issuers-registry/v5/issuers?page[after]=${rng.pick(['0', 'x', '-5'])}`,
      () => `/trusted-issuers-registry/v5/issuers/${chain.ti.did}/proxies/${rng.hex(10)}/x`,
      () => `/trusted-schemas-registry/v3/schemas/${encodeURIComponent(rng.text(12))}`,
      () => `/trusted-schemas-registry/v3/schemas?page[size]=${50 + 1 + rng.int(1000)}`,
      () => `/timestamp/v4/timestamps/${encodeURIComponent(rng.text(10))}`,
      () => `/timestamp/v4/hash-algorithms/${encodeURIComponent(rng.text(4))}x`,
      () => `/trusted-policies-registry/v3/users/${encodeURIComponent(rng.text(6))}`,
      () => `/authorisation/v4/presentation-definitions?scope=${encodeURIComponent(rng.text(10))}`,
    ]
    for (let i = 0; i < 200; i += 1) {
      const path = rng.pick(gets)()
      const response = await fetch(`${client.url}${path}`)
      check(
        `GET ${path}`,
        response.status,
        response.headers.get('content-type') ?? '',
        safeJson(await response.text()),
      )
    }
    await node.ctx.producer.flush()
    expect(sent).toBeGreaterThanOrEqual(1000)
    expect(failures.slice(0, 10)).toEqual([])
    expect(await stateDigest()).toBe(before)
  }, 120_000)
})

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
