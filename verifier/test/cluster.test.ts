import { execFileSync } from 'node:child_process'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionToken } from './support/harness.ts'
import { spawnVerifierProcess, type VerifierProcess } from './support/verifier-process.ts'
import { TestWorld } from './support/world.ts'

// FLORA_VERIFIER_WORKERS=2: the verifier as deployed, in two processes behind one port. Each
// worker caches principals and trust settings; a change made through one must hold on both.
let world: TestWorld
let verifier: VerifierProcess

beforeAll(async () => {
  world = await new TestWorld().start()
  verifier = await spawnVerifierProcess({
    ledgerUrl: world.base,
    trustAnchor: world.root.did,
    env: { FLORA_VERIFIER_WORKERS: '2', FLORA_VERIFIER_TRUST_ANCHORS: '' },
  })
}, 60_000)
afterAll(async () => {
  await verifier?.stop()
  await world?.stop()
})

/** One request on a connection of its own: the cluster hands connections to workers in turn. */
function call(
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = request(
      `${verifier.url}${path}`,
      {
        method,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

const onEveryWorker = async (probe: () => Promise<unknown>) => {
  const results: unknown[] = []
  for (let i = 0; i < 6; i++) results.push(await probe())
  return results
}

// the primary's children that run the verifier (tsx may also have started an esbuild service)
function workerPids(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(verifier.child.pid), '-f', 'src/main.ts'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean)
      .map(Number)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

describe('verifier in several worker processes', () => {
  it('runs the configured number of workers', async () => {
    for (let i = 0; i < 250 && workerPids().length !== 2; i++) await new Promise((r) => setTimeout(r, 100))
    expect(workerPids()).toHaveLength(2)
  })

  it('a logout ends the session on every worker at once, although each had it cached', async () => {
    const token = await sessionToken(verifier.url, 'admin', 'admin-password-for-the-process')
    expect(await onEveryWorker(async () => (await call('GET', '/reports', token)).status)).toEqual(
      Array(6).fill(200),
    )
    expect((await call('DELETE', '/session', token)).status).toBe(204)
    // well within the 5 s a worker keeps a principal
    expect(await onEveryWorker(async () => (await call('GET', '/reports', token)).status)).toEqual(
      Array(6).fill(401),
    )
  })

  it('a trust setting made through one worker is in effect on all', async () => {
    const admin = verifier.deploymentToken()
    const before = await onEveryWorker(
      async () => JSON.parse((await call('GET', '/deployment/trust', admin)).body).trustAnchors,
    )
    expect(before).toEqual(Array(6).fill([]))
    const trust = { trustAnchors: [{ did: world.root.did }], trustedAnchorers: [] }
    expect((await call('PUT', '/deployment/trust', admin, trust)).status).toBe(200)
    await new Promise((r) => setTimeout(r, 200))
    const after = await onEveryWorker(
      async () => JSON.parse((await call('GET', '/deployment/trust', admin)).body).trustAnchors,
    )
    expect(after).toEqual(Array(6).fill(trust.trustAnchors))
  })

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const [victim] = workerPids()
    process.kill(victim!, 'SIGKILL')
    // a new worker compiles and opens the database: seconds on a loaded machine
    for (let i = 0; i < 250 && (workerPids().length < 2 || workerPids().includes(victim!)); i++)
      await new Promise((r) => setTimeout(r, 100))
    expect(workerPids()).toHaveLength(2)
    expect(workerPids()).not.toContain(victim)
    expect(
      await onEveryWorker(async () => (await call('GET', '/reports', verifier.officerToken)).status),
    ).toEqual(Array(6).fill(200))
  })
})
