import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { defaultDatabaseUrl } from '@flora/db'
import { decodeKey, env, loadConfig, loadOrCreateKeyFile } from '@flora/service-kit'
import { SigningKey } from 'ethers'
import { z } from 'zod'
import { DEFAULT_CHAIN_ID, generateDidEbsi } from '../core/index.ts'

/**
 * The ledger node's configuration, from environment variables (one place documents them: the
 * table in ebsi-connector/README.md mirrors `ledgerEnv`).
 */
export const ledgerEnv = {
  FLORA_LEDGER_HOST: env.host('127.0.0.1'),
  FLORA_LEDGER_PORT: env.port(4100),
  /** Public base URL (no trailing slash) embedded in hrefs, token `iss`/`aud` and problem instances. */
  FLORA_LEDGER_PUBLIC_URL: env.optionalUrl(),
  /** Directory for the SQLite file, ledger.kek and the generated operator file (default FLORA_DATA_DIR, else ./data). */
  FLORA_LEDGER_DATA_DIR: z.string().optional(),
  FLORA_LEDGER_DATABASE_URL: z.string().optional(),
  FLORA_LEDGER_KEY_ENCRYPTION_KEY: env.key32().optional(),
  FLORA_LEDGER_CHAIN_ID: env.int(DEFAULT_CHAIN_ID, 1),
  /** Max milliseconds a pending transaction waits before its block is cut. */
  FLORA_LEDGER_BLOCK_INTERVAL_MS: env.int(5, 1),
  FLORA_LEDGER_MAX_BLOCK_TXS: env.int(500, 1),
  FLORA_LEDGER_ACCESS_TOKEN_TTL: env.int(7200, 60),
  /** Comma-separated host names the node may fetch from (issuer proxies). */
  FLORA_LEDGER_OUTBOUND_ALLOWLIST: env.string('127.0.0.1,localhost,::1'),
  /** Whole-request timeout of an outbound request (connect, headers and body). */
  FLORA_LEDGER_OUTBOUND_TIMEOUT_MS: env.int(5000, 100),
  /** Largest body read from an issuer proxy; the read is aborted past it. */
  FLORA_LEDGER_OUTBOUND_MAX_BYTES: env.int(5_000_000, 1024),
  /** Forwardings through one issuer proxy in flight at once; more are answered 429. */
  FLORA_LEDGER_PROXY_CONCURRENCY: env.int(64, 1),
  /** Entries per in-memory map keyed by caller-chosen input (account nonces, TPR attributes, DIDs). */
  FLORA_LEDGER_CACHE_ENTRIES: env.int(50_000, 1),
  /** The operator (EBSI Support Office role): its DID and secp256k1 public key (hex). */
  FLORA_LEDGER_OPERATOR_DID: z.string().optional(),
  FLORA_LEDGER_OPERATOR_PUBLIC_KEY: z.string().optional(),
  /** Optional P-256 public JWK (JSON) of the operator, for assertionMethod/authentication. */
  FLORA_LEDGER_OPERATOR_ASSERTION_JWK: z.string().optional(),
  /** Extra TPR admin addresses (comma-separated), granted the same attributes as the operator. */
  FLORA_LEDGER_TPR_ADMINS: z.string().optional(),
  /** Where an operator identity is generated when none is configured (embedded defaults). */
  FLORA_LEDGER_OPERATOR_FILE: z.string().optional(),
  /** Verify the whole chain from genesis on start (refuse to start when it fails). */
  FLORA_LEDGER_VERIFY_ON_START: env.flag(true),
  /**
   * The node's P-256 public JWK (JSON) that every block must be signed with; when unset, the pin
   * file `<dataDir>/ledger-node-key.json` (written on first start) holds it.
   */
  FLORA_LEDGER_NODE_PUBLIC_JWK: z.string().optional(),
  FLORA_LOG_LEVEL: env.logLevel(),
}

/** The operator identity written into genesis. */
export interface OperatorIdentity {
  did: string
  /** secp256k1 public key hex (capabilityInvocation; its address is the TPR admin). */
  publicKeyHex: string
  /** Optional P-256 public JWK (assertionMethod + authentication). */
  assertionJwk?: Record<string, unknown>
}

export interface LedgerConfig {
  host: string
  port: number
  /** Public base URL without trailing slash; when absent the listening URL is used. */
  publicUrl?: string
  dataDir: string
  databaseUrl: string
  keyEncryptionKey: Buffer
  chainId: number
  blockIntervalMs: number
  maxBlockTxs: number
  accessTokenTtl: number
  outboundAllowlist: string[]
  outboundTimeoutMs: number
  outboundMaxBytes: number
  proxyConcurrency: number
  cacheEntries: number
  operator?: OperatorIdentity
  tprAdmins: string[]
  verifyOnStart: boolean
  /** The pinned node public JWK from configuration (else the pin file is used). */
  nodePublicJwk?: Record<string, unknown>
  /** The pin file (default `<dataDir>/ledger-node-key.json`). */
  nodeKeyPinFile?: string
  logLevel: string
}

/**
 * Reads the configuration. On embedded defaults (no KEK configured) a key-encryption key is
 * generated into `<dataDir>/ledger.kek` (mode 0600) and `warnings` says so; the same for an
 * operator identity in `<dataDir>/ledger-operator.json` when no operator is configured.
 */
export function loadLedgerConfig(environment: Record<string, string | undefined> = process.env): {
  config: LedgerConfig
  warnings: string[]
} {
  const raw = loadConfig(ledgerEnv, environment)
  const warnings: string[] = []
  const dataDir = resolve(raw.FLORA_LEDGER_DATA_DIR ?? environment.FLORA_DATA_DIR ?? 'data')
  let kek: Buffer
  if (raw.FLORA_LEDGER_KEY_ENCRYPTION_KEY) kek = decodeKey(raw.FLORA_LEDGER_KEY_ENCRYPTION_KEY) as Buffer
  else {
    const file = join(dataDir, 'ledger.kek')
    const loaded = loadOrCreateKeyFile(file)
    if (loaded.created)
      warnings.push(
        `FLORA_LEDGER_KEY_ENCRYPTION_KEY not set: generated ${file}; set the variable in production`,
      )
    kek = loaded.key
  }
  let operator: OperatorIdentity | undefined
  if (raw.FLORA_LEDGER_OPERATOR_DID && raw.FLORA_LEDGER_OPERATOR_PUBLIC_KEY) {
    operator = {
      did: raw.FLORA_LEDGER_OPERATOR_DID,
      publicKeyHex: raw.FLORA_LEDGER_OPERATOR_PUBLIC_KEY,
      assertionJwk: raw.FLORA_LEDGER_OPERATOR_ASSERTION_JWK
        ? (JSON.parse(raw.FLORA_LEDGER_OPERATOR_ASSERTION_JWK) as Record<string, unknown>)
        : undefined,
    }
  } else if (raw.FLORA_LEDGER_OPERATOR_FILE || !raw.FLORA_LEDGER_KEY_ENCRYPTION_KEY) {
    const file = resolve(raw.FLORA_LEDGER_OPERATOR_FILE ?? join(dataDir, 'ledger-operator.json'))
    const { identity, created } = operatorFromFile(file)
    operator = identity
    if (created)
      warnings.push(`no operator configured: generated an operator identity in ${file} (mode 0600)`)
  }
  return {
    warnings,
    config: {
      host: raw.FLORA_LEDGER_HOST,
      port: raw.FLORA_LEDGER_PORT,
      publicUrl: raw.FLORA_LEDGER_PUBLIC_URL?.replace(/\/+$/, ''),
      dataDir,
      databaseUrl: raw.FLORA_LEDGER_DATABASE_URL ?? defaultDatabaseUrl('ledger', environment, dataDir),
      keyEncryptionKey: kek,
      chainId: raw.FLORA_LEDGER_CHAIN_ID,
      blockIntervalMs: raw.FLORA_LEDGER_BLOCK_INTERVAL_MS,
      maxBlockTxs: raw.FLORA_LEDGER_MAX_BLOCK_TXS,
      accessTokenTtl: raw.FLORA_LEDGER_ACCESS_TOKEN_TTL,
      outboundAllowlist: raw.FLORA_LEDGER_OUTBOUND_ALLOWLIST.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      outboundTimeoutMs: raw.FLORA_LEDGER_OUTBOUND_TIMEOUT_MS,
      outboundMaxBytes: raw.FLORA_LEDGER_OUTBOUND_MAX_BYTES,
      proxyConcurrency: raw.FLORA_LEDGER_PROXY_CONCURRENCY,
      cacheEntries: raw.FLORA_LEDGER_CACHE_ENTRIES,
      operator,
      tprAdmins: (raw.FLORA_LEDGER_TPR_ADMINS ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
      verifyOnStart: raw.FLORA_LEDGER_VERIFY_ON_START,
      nodePublicJwk: raw.FLORA_LEDGER_NODE_PUBLIC_JWK
        ? (JSON.parse(raw.FLORA_LEDGER_NODE_PUBLIC_JWK) as Record<string, unknown>)
        : undefined,
      nodeKeyPinFile: join(dataDir, 'ledger-node-key.json'),
      logLevel: raw.FLORA_LOG_LEVEL,
    },
  }
}

/**
 * Reads (or on first use generates) an operator identity file: `{did, secp256k1PrivateKeyHex,
 * publicKeyHex, p256PrivateJwk, assertionJwk}`. The private keys are for the operator's CLI; the
 * node itself only reads the public parts.
 */
export function operatorFromFile(file: string): { identity: OperatorIdentity; created: boolean } {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, JSON.stringify(generateOperatorFile(), null, 2), { mode: 0o600 })
    return { identity: readOperatorFile(file), created: true }
  }
  return { identity: readOperatorFile(file), created: false }
}

function readOperatorFile(file: string): OperatorIdentity {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    did: string
    publicKeyHex: string
    assertionJwk?: Record<string, unknown>
  }
  return { did: parsed.did, publicKeyHex: parsed.publicKeyHex, assertionJwk: parsed.assertionJwk }
}

function generateOperatorFile() {
  const secp = new SigningKey(`0x${randomBytes(32).toString('hex')}`)
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const publicJwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>
  return {
    did: generateDidEbsi(),
    secp256k1PrivateKeyHex: secp.privateKey,
    publicKeyHex: secp.publicKey,
    p256PrivateJwk: privateKey.export({ format: 'jwk' }),
    assertionJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y },
  }
}
