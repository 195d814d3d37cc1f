import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { base58btc } from 'multiformats/bases/base58'
import { type EbsiEntity, generateKey, jwkThumbprint, LocalSigner, publicKeyHexOf, type Signer } from '@flora/ebsi-connector'

const newSigner = (keyType: 'Secp256k1' | 'Secp256r1'): Signer => {
  const key = generateKey(keyType)
  return new LocalSigner(jwkThumbprint(key.publicJwk), keyType, key.publicJwk, key.privateKey)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * The real embedded ledger node, started the way an operator starts it (`npm run start -w
 * @flora/ebsi-connector`, i.e. `npm run ledger`) on a free port with a temporary SQLite database and
 * an operator identity whose keys the test holds.
 */
export async function startLedgerNode(): Promise<{ url: string; operator: EbsiEntity; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'flora-ledger-'))
  const port = await freePort()
  const controller = newSigner('Secp256k1')
  const assertion = newSigner('Secp256r1')
  const operatorDid = `did:ebsi:${base58btc.encode(Uint8Array.from([1, ...randomBytes(16)]))}`
  const child: ChildProcess = spawn('npm', ['run', '--silent', 'start', '-w', '@flora/ebsi-connector'], {
    cwd: join(import.meta.dirname, '../../..'),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      FLORA_LEDGER_HOST: '127.0.0.1',
      FLORA_LEDGER_PORT: String(port),
      FLORA_LEDGER_DATA_DIR: dir,
      FLORA_LEDGER_DATABASE_URL: `file:${join(dir, 'ledger.db')}`,
      FLORA_LEDGER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      FLORA_LEDGER_OPERATOR_DID: operatorDid,
      FLORA_LEDGER_OPERATOR_PUBLIC_KEY: publicKeyHexOf(controller.publicKeyJwk),
      FLORA_LEDGER_OPERATOR_ASSERTION_JWK: JSON.stringify(assertion.publicKeyJwk),
      FLORA_LEDGER_BLOCK_INTERVAL_MS: '2',
      FLORA_LOG_LEVEL: 'error',
    },
  })
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk)
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`ledger node did not start: ${stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {
    url,
    operator: { did: operatorDid, controller, assertion },
    async stop() {
      if (child.pid && child.exitCode === null) {
        process.kill(-child.pid, 'SIGTERM')
        await new Promise((resolve) => child.once('exit', resolve))
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export { newSigner }

/** A legal entity not yet on the ledger: a fresh did:ebsi with a controller and an assertion key. */
export function newEntity(): EbsiEntity {
  return {
    did: `did:ebsi:${base58btc.encode(Uint8Array.from([1, ...randomBytes(16)]))}`,
    controller: newSigner('Secp256k1'),
    assertion: newSigner('Secp256r1'),
  }
}
