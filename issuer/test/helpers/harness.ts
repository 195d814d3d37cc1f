import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import { createServer } from 'node:net'
import { util as keyDidUtil } from '@cef-ebsi/key-did-resolver'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { createLogger, type Logger } from '@flora/service-kit'
import { base58btc } from 'multiformats/bases/base58'
import { type RunningIssuer, startIssuer } from '../../src/assembly.ts'
import { loadIssuerConfig } from '../../src/config.ts'
import { MemoryLedgerGateway } from '../../src/ledger/memory-ledger-gateway.ts'
import { createApiToken, createStaffAccount } from '../../src/services/auth.ts'
import {
  createAuthorityKeys,
  forgetAccreditations,
  recordOnboarding,
  registerAuthority,
} from '../../src/services/authorities.ts'

/** A free TCP port (so the public URL can equal the listening URL, as OpenID4VCI clients require). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export interface TestIssuer {
  issuer: RunningIssuer
  ledger: MemoryLedgerGateway
  url: string
  database: TestDatabase
  close(): Promise<void>
}

export async function bootIssuer(
  env: Record<string, string> = {},
  options: { ledger?: MemoryLedgerGateway; database?: TestDatabase; now?: () => Date; logger?: Logger } = {},
): Promise<TestIssuer> {
  const database = options.database ?? tempSqliteDatabase()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const ledger = options.ledger ?? new MemoryLedgerGateway()
  const config = loadIssuerConfig({
    FLORA_ISSUER_DATABASE_URL: database.url,
    FLORA_DATA_DIR: database.dataDir,
    FLORA_ISSUER_HOST: '127.0.0.1',
    FLORA_ISSUER_PORT: String(port),
    FLORA_ISSUER_PUBLIC_URL: url,
    FLORA_LOG_LEVEL: 'silent',
    FLORA_ISSUER_ANCHOR_INTERVAL_MS: '3600000',
    FLORA_ISSUER_ANCHOR_MIN_BATCH: '4',
    FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS: '0',
    ...env,
  })
  forgetAccreditations()
  const issuer = await startIssuer(config, {
    logger: options.logger ?? createLogger('issuer', process.env.ISSUER_TEST_LOG ?? 'silent'),
    ledger,
    ...(options.now ? { now: options.now } : {}),
  })
  return {
    issuer,
    ledger,
    url,
    database,
    close: async () => {
      await issuer.close()
      await database.dispose()
    },
  }
}

export interface TestAuthority {
  id: string
  did: string
  adminToken: string
  staffToken: string
  attributeUrl: string
}

/** Registers, keys, "onboards" (memory ledger) and accredits an authority; returns its API tokens. */
export async function addAuthority(
  t: TestIssuer,
  args: { id: string; name?: string; role: string; accreditedTypes: string[] },
): Promise<TestAuthority> {
  const ctx = t.issuer.context
  await registerAuthority(ctx, { id: args.id, name: args.name ?? args.id, role: args.role })
  await createAuthorityKeys(ctx, args.id)
  const did = `did:ebsi:${base58btc.encode(Buffer.concat([Buffer.from([1]), randomBytes(16)]))}`
  const attributeUrl = `${t.ledger.baseUrl}/trusted-issuers-registry/v5/issuers/${did}/attributes/0x${randomBytes(32).toString('hex')}`
  await recordOnboarding(ctx, args.id, { did, attributeUrl, proxyId: `0x${randomBytes(32).toString('hex')}` })
  t.ledger.accreditations.set(did, {
    attributeUrl,
    issuerType: 'TI',
    accreditedFor: args.accreditedTypes.map((type) => ({
      schemaId: t.ledger.milestoneSchemaUrl(type),
      types: ['VerifiableCredential', 'VerifiableAttestation', type],
    })),
  })
  const admin = await createApiToken(ctx, undefined, {
    authorityId: args.id,
    name: 'admin system',
    role: 'admin',
  })
  const staff = await createApiToken(ctx, undefined, {
    authorityId: args.id,
    name: 'case system',
    role: 'staff',
  })
  await createStaffAccount(ctx, undefined, {
    authorityId: args.id,
    username: `${args.id}-admin`,
    password: 'correct horse battery',
    role: 'admin',
  })
  return { id: args.id, did, adminToken: admin.token, staffToken: staff.token, attributeUrl }
}

/** A case wallet's holder: a P-256 key and its EBSI did:key (created with EBSI's own library). */
export interface TestHolder {
  did: string
  key: KeyObject
  jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string }
  signJwt(header: Record<string, unknown>, payload: Record<string, unknown>): string
}

export function newHolder(): TestHolder {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const exported = publicKey.export({ format: 'jwk' })
  const jwk = { kty: 'EC' as const, crv: 'P-256' as const, x: exported.x as string, y: exported.y as string }
  const did = keyDidUtil.createDid(jwk)
  return {
    did,
    key: privateKey,
    jwk,
    signJwt(header, payload) {
      const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
      return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
    },
  }
}

/** JSON fetch with an API token. */
export async function api(
  t: { url: string },
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return { status: response.status, body: parsed, headers: response.headers }
}

export const decodeJwt = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, any>

/** Redeems an offer with plain HTTP (OpenID4VCI 1.0 profile), as a minimal wallet would. */
export async function redeemV1(
  t: { url: string },
  offerResponse: { txCode: string; offers: { v1: { credentialOffer: any } } },
  holder: TestHolder,
  /** The issuer's clock, when a test moves it (the proof's `iat` must be recent by that clock). */
  now: () => Date = () => new Date(),
): Promise<{ status: number; body: any }> {
  const offer = offerResponse.offers.v1.credentialOffer
  const issuer = offer.credential_issuer as string
  const code = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code']
  const token = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': code,
      tx_code: offerResponse.txCode,
    }),
  })
  const tokenBody = (await token.json()) as { access_token: string }
  if (token.status !== 200) return { status: token.status, body: tokenBody }
  const nonce = (await (await fetch(`${issuer}/nonce`, { method: 'POST' })).json()) as { c_nonce: string }
  const proof = holder.signJwt(
    { typ: 'openid4vci-proof+jwt', alg: 'ES256', kid: `${holder.did}#${holder.did.slice(8)}` },
    { aud: issuer, iat: Math.floor(now().getTime() / 1000), nonce: nonce.c_nonce },
  )
  const response = await fetch(`${issuer}/credential`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenBody.access_token}` },
    body: JSON.stringify({
      credential_configuration_id: offer.credential_configuration_ids[0],
      proof: { proof_type: 'jwt', jwt: proof },
    }),
  })
  return { status: response.status, body: await response.json() }
}
