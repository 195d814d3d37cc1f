import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { milestoneCatalogue } from '@flora/credentials'
import { EbsiClient } from '@flora/ebsi-connector'
import type { EcPublicJwk } from '@flora/ebsi-connector/core'
import { DemoAccounts } from './accounts.ts'
import { AdminClient } from './admin-client.ts'
import {
  JURISDICTION_URI,
  jurisdictionUri,
  type PilotChain,
  type PilotTao,
  type PilotTi,
  pilotChain,
  taoForJurisdiction,
  typesOfTao,
  typesOfTi,
} from './chain.ts'
import { operatorFromFile, TrustAnchors } from './trust-anchors.ts'

/** Where the parties are and where the bootstrap keeps its files. */
export interface BootstrapOptions {
  /** The deployment's data dir: trust-anchor store, demo accounts, marker (and, by default, the tokens). */
  dataDir: string
  ledgerUrl: string
  issuerUrl: string
  verifierUrl: string
  /** The ledger operator's identity file (default `<dataDir>/ledger-operator.json`). */
  operatorFile?: string
  /** Deployment-admin tokens (default: `<dataDir>/issuer-admin-token`, `<dataDir>/verifier-admin-token`). */
  issuerAdminToken?: string
  verifierAdminToken?: string
  /** 64 hex digits sealing the trust anchors' keys (default FLORA_TRUST_ANCHORS_KEK, else a generated file). */
  trustAnchorsKek?: string
  chain?: PilotChain
  log?: (line: string) => void
}

export interface BootstrappedAuthority {
  id: string
  name: string
  role: string
  jurisdiction: string
  did: string
  attributeUrl: string
  tao: string
}

export interface BootstrapResult {
  rootTao: { key: string; did: string }
  taos: Record<string, { did: string; country: string }>
  authorities: Record<string, BootstrappedAuthority>
  anchoring: { did: string; address: string }
  verifier: { did: string }
  /** The demo accounts file (0600). */
  accountsFile: string
  /** Writes this run performed (empty: everything was in place). */
  actions: string[]
}

export const MARKER_FILE = 'pilot-bootstrap.json'
export const ACCOUNTS_FILE = 'demo-accounts.json'

/** Whether a bootstrap of this data dir completed (its marker exists). */
export function pilotBootstrapped(dataDir: string): BootstrapResult | undefined {
  const file = join(dataDir, MARKER_FILE)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BootstrapResult) : undefined
}

function tokenOf(explicit: string | undefined, dataDir: string, file: string, variable: string): string {
  if (explicit) return explicit
  if (process.env[variable]) return process.env[variable]!
  const path = join(dataDir, file)
  if (!existsSync(path)) throw new Error(`no deployment-admin token: set ${variable} or start the service (it writes ${path})`)
  return readFileSync(path, 'utf8').trim()
}

interface Parties {
  chain: PilotChain
  ebsi: EbsiClient
  issuer: AdminClient
  verifier: AdminClient
  anchors: TrustAnchors
  accounts: DemoAccounts
  log: (line: string) => void
  actions: string[]
}

async function openParties(options: BootstrapOptions, actions: string[]): Promise<Parties> {
  const log = options.log ?? (() => {})
  const ebsi = new EbsiClient({ baseUrl: options.ledgerUrl })
  return {
    chain: options.chain ?? pilotChain,
    ebsi,
    issuer: new AdminClient(
      'issuer',
      options.issuerUrl,
      tokenOf(options.issuerAdminToken, options.dataDir, 'issuer-admin-token', 'FLORA_ISSUER_ADMIN_TOKEN'),
    ),
    verifier: new AdminClient(
      'verifier',
      options.verifierUrl,
      tokenOf(options.verifierAdminToken, options.dataDir, 'verifier-admin-token', 'FLORA_VERIFIER_ADMIN_TOKEN'),
    ),
    anchors: await TrustAnchors.open({
      ebsi,
      dataDir: options.dataDir,
      kek: options.trustAnchorsKek ?? process.env.FLORA_TRUST_ANCHORS_KEK,
      log,
      actions,
    }),
    accounts: new DemoAccounts(join(options.dataDir, ACCOUNTS_FILE), {
      issuer: options.issuerUrl,
      verifier: options.verifierUrl,
    }),
    log,
    actions,
  }
}

/** A public key as the issuer's and the verifier's admin APIs show it (the TAO's authorisation names it). */
interface PublicKeyView {
  kid: string
  publicKeyJwk: EcPublicJwk
}

interface TenantView {
  id: string
  did: string | null
  attributeUrl: string | null
  stage: 'created' | 'keys' | 'registered' | 'accredited'
  didRegistered?: boolean
}

/**
 * One authority as a tenant of the issuer, onboarded and accredited by its TAO, over the issuer's
 * deployment-admin API; the TAO signs with its own keys. Idempotent.
 */
async function ensureAuthority(p: Parties, tao: PilotTao, ti: PilotTi): Promise<BootstrappedAuthority> {
  const types = typesOfTi(ti)
  let { status, body: view } = await p.issuer.call<TenantView>(
    'GET',
    `/admin/authorities/${ti.id}?ledger=true`,
    undefined,
    [404],
  )
  if (status === 404) {
    view = await p.issuer.post<TenantView>('/admin/authorities', {
      id: ti.id,
      name: ti.name,
      role: ti.role,
      jurisdiction: ti.jurisdiction,
    })
    p.actions.push(`issuer: tenant ${ti.id}`)
  }
  const { did, controllerKey } = await p.issuer.post<{ did: string; controllerKey: PublicKeyView }>(
    `/admin/authorities/${ti.id}/did`,
  )
  if (!(view.stage === 'accredited' && view.didRegistered)) {
    const onboarded = await p.issuer.post<{ transactions: number }>(`/admin/authorities/${ti.id}/onboarding`, {
      authorisationToOnboard: await p.anchors.authoriseOnboarding(tao.key, did, controllerKey.publicKeyJwk),
    })
    if (onboarded.transactions > 0) p.actions.push(`didr: ${ti.id}`)
  }
  const accreditation = await p.anchors.accreditTi({
    taoKey: tao.key,
    subjectKey: ti.id,
    subjectDid: did,
    types,
    limitJurisdiction: jurisdictionUri(ti.jurisdiction),
  })
  if (!accreditation.written || view.stage !== 'accredited') {
    view = await p.issuer.post<TenantView>(`/admin/authorities/${ti.id}/accreditation`, {
      attributeId: accreditation.attributeId,
      accreditation: accreditation.accreditation,
    })
    p.actions.push(`tir: ${ti.id} accredited for ${types.length} types`)
  }
  for (const role of ['staff', 'admin'] as const) {
    const account = p.accounts.plan({
      service: 'issuer',
      authority: ti.id,
      authorityName: ti.name,
      username: `${ti.account.local}.${role}@${ti.account.domain}`,
      role,
    })
    if (account.created) continue
    const { status: created } = await p.issuer.call(
      'POST',
      `/admin/authorities/${ti.id}/staff`,
      { username: account.username, password: account.password, role },
      [409],
    )
    if (created === 409) p.log(`issuer account ${account.username} existed already`)
    else p.actions.push(`issuer: account ${account.username}`)
    p.accounts.markCreated(account)
  }
  p.log(`${ti.name} (${ti.id}): ${did}`)
  return {
    id: ti.id,
    name: ti.name,
    role: ti.role,
    jurisdiction: ti.jurisdiction,
    did,
    attributeUrl: view.attributeUrl ?? '',
    tao: tao.key,
  }
}

/** The trust anchors: schemas on the TSR, the Root TAO (by the operator) and the TAOs (by the Root TAO). */
async function ensureTrustChain(p: Parties, operatorFile: string) {
  const operator = operatorFromFile(operatorFile)
  const { items: schemas } = await p.issuer.get<{
    items: { name: string; url: string; schema: Record<string, unknown> }[]
  }>('/admin/ledger/schemas')
  await p.anchors.ensureSchemas(operator, schemas)
  const rootDid = await p.anchors.ensureRootTao(p.chain.rootTao.key, operator)
  const taos: BootstrapResult['taos'] = {}
  for (const tao of p.chain.taos)
    taos[tao.key] = {
      did: await p.anchors.ensureTao(tao.key, p.chain.rootTao.key, typesOfTao(tao), jurisdictionUri(tao.country)),
      country: tao.country,
    }
  return { rootTao: { key: p.chain.rootTao.key, did: rootDid }, taos }
}

/** The issuer deployment's anchoring identity, onboarded with an authorisation from the chain. */
async function ensureAnchoring(p: Parties) {
  type View = { stage: 'none' | 'keys' | 'onboarded'; did: string; address: string; controllerKey: PublicKeyView }
  let view = await p.issuer.get<View>('/admin/anchoring')
  if (view.stage !== 'onboarded') {
    view = await p.issuer.post<View>('/admin/anchoring/did')
    const onboarded = await p.issuer.post<View & { transactions: number }>('/admin/anchoring/onboarding', {
      authorisationToOnboard: await p.anchors.authoriseOnboarding(
        p.chain.anchoringAuthorisedBy,
        view.did,
        view.controllerKey.publicKeyJwk,
      ),
    })
    if (onboarded.transactions > 0) p.actions.push('didr: anchoring identity')
    view = onboarded
  }
  p.log(`anchoring identity: ${view.did} (${view.address})`)
  return { did: view.did, address: view.address }
}

/** The verifier: its DID on the ledger (TAO France authorises), its trust anchors, its demo staff. */
async function ensureVerifier(p: Parties, rootTaoDid: string, anchoring: { did: string; address: string }) {
  const state = await p.verifier.get<{ did: string; registered: boolean; controllerKey: PublicKeyView }>(
    '/deployment/onboarding',
  )
  if (!state.registered) {
    const onboarded = await p.verifier.post<{ transactions: number }>('/deployment/onboarding', {
      authorisationToOnboard: await p.anchors.authoriseOnboarding(
        p.chain.verifier.tao,
        state.did,
        state.controllerKey.publicKeyJwk,
      ),
    })
    if (onboarded.transactions > 0) p.actions.push('didr: verifier')
  }
  const wanted = {
    trustAnchors: [
      {
        did: rootTaoDid,
        types: milestoneCatalogue.map((m) => m.type),
        jurisdictions: [...new Set(p.chain.taos.map((t) => JURISDICTION_URI[t.country]!))],
      },
    ],
    trustedAnchorers: [anchoring.did, anchoring.address],
  }
  const current = await p.verifier.get<{
    trustAnchors: unknown
    trustedAnchorers: unknown
    anchorsSource: string
  }>('/deployment/trust')
  if (current.anchorsSource === 'environment')
    p.log('verifier: trust anchors come from FLORA_VERIFIER_TRUST_ANCHORS/_POLICY (environment wins)')
  if (
    JSON.stringify({ trustAnchors: current.trustAnchors, trustedAnchorers: current.trustedAnchorers }) !==
      JSON.stringify(wanted) &&
    current.anchorsSource !== 'environment'
  ) {
    await p.verifier.call('PUT', '/deployment/trust', wanted)
    p.actions.push('verifier: trust anchors')
  }
  for (const { username, role } of p.chain.verifier.accounts) {
    const account = p.accounts.plan({ service: 'verifier', username, role })
    if (account.created) continue
    const { status } = await p.verifier.call(
      'POST',
      '/deployment/staff',
      { username, password: account.password, role },
      [409],
    )
    if (status !== 409) p.actions.push(`verifier: account ${username}`)
    p.accounts.markCreated(account)
  }
  p.log(`verifier: ${state.did}`)
  return { did: state.did }
}

/**
 * Brings a running stack (ledger, issuer, verifier) to a usable pilot, through the services' HTTP
 * APIs and the EBSI API, as the real parties would:
 *
 *  1. operator (EBSI Support Office role): registers the schemas the issuer names on the TSR;
 *     authorises the Root TAO's onboarding and registers it (VerifiableAuthorisationForTrustChain)
 *  2. Root TAO: onboards and accredits TAO Germany (BAMF HQ) and TAO France (ministry)
 *  3. per authority, issuer deployment admin + its TAO: tenant → keys/DID → TAO's authorisation →
 *     DIDR → TAO pre-registers + VerifiableAccreditationToAttest → TIR attribute + status-list proxy;
 *     demo staff accounts
 *  4. issuer's anchoring identity: onboarded with the Root TAO's authorisation
 *  5. verifier: DID onboarded with TAO France's authorisation; trust anchor = Root TAO, trusted
 *     anchorer = the anchoring identity; demo staff accounts
 *
 * Idempotent: every step checks the ledger and the services first, so a second run writes nothing
 * and an interrupted run resumes. Writes `<dataDir>/pilot-bootstrap.json` when complete.
 */
export async function bootstrapPilotStack(options: BootstrapOptions): Promise<BootstrapResult> {
  const actions: string[] = []
  const p = await openParties(options, actions)
  try {
    const { rootTao, taos } = await ensureTrustChain(
      p,
      options.operatorFile ?? join(options.dataDir, 'ledger-operator.json'),
    )
    const authorities: Record<string, BootstrappedAuthority> = {}
    for (const tao of p.chain.taos)
      for (const ti of tao.tis) authorities[ti.id] = await ensureAuthority(p, tao, ti)
    const anchoring = await ensureAnchoring(p)
    const verifier = await ensureVerifier(p, rootTao.did, anchoring)
    const result: BootstrapResult = {
      rootTao,
      taos,
      authorities: { ...pilotBootstrapped(options.dataDir)?.authorities, ...authorities },
      anchoring,
      verifier,
      accountsFile: p.accounts.file,
      actions,
    }
    writeFileSync(join(options.dataDir, MARKER_FILE), `${JSON.stringify(result, null, 2)}\n`)
    return result
  } finally {
    await p.anchors.close()
  }
}

/** A new authority to onboard (e.g. BAMF Außenstelle Bochum, NRW). */
export interface NewAuthority {
  name: string
  role: PilotTi['role']
  /** ISO 3166-2 / 3166-1: picks the TAO (DE-… → TAO Germany) and the accreditation's jurisdiction. */
  jurisdiction: string
  /** Tenant id (default: a slug of the name). */
  id?: string
  types?: string[]
  /** Demo accounts `<local>.staff@<domain>` (default: from the id). */
  account?: { local: string; domain: string }
}

export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/\baussenstelle\b/g, '')
    .replace(/\([^)]*\)/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
}

/**
 * Onboards one more authority on a bootstrapped pilot: a tenant in the issuer, authorised and
 * accredited by the TAO of its jurisdiction for its role's milestone types, with demo accounts. No
 * code change anywhere: its credentials verify wherever the pilot Root TAO is trusted.
 */
export async function onboardAuthority(
  options: BootstrapOptions,
  authority: NewAuthority,
): Promise<
  BootstrappedAuthority & {
    accounts: { username: string; password: string; role: string }[]
    accountsFile: string
    actions: string[]
  }
> {
  const actions: string[] = []
  const p = await openParties(options, actions)
  try {
    const bootstrapped = pilotBootstrapped(options.dataDir)
    if (!bootstrapped) throw new Error(`the pilot is not bootstrapped in ${options.dataDir} (run npm start first)`)
    const tao = taoForJurisdiction(p.chain, authority.jurisdiction)
    const id = authority.id ?? slugOf(authority.name)
    const domain = tao.tis[0]?.account.domain ?? `${tao.country.toLowerCase()}.test`
    const ti: PilotTi = {
      id,
      name: authority.name,
      role: authority.role,
      jurisdiction: authority.jurisdiction,
      ...(authority.types ? { types: authority.types } : {}),
      account: authority.account ?? { local: id.replace(/^bamf-/, ''), domain },
    }
    const result = await ensureAuthority(p, tao, ti)
    bootstrapped.authorities[id] = result
    writeFileSync(join(options.dataDir, MARKER_FILE), `${JSON.stringify(bootstrapped, null, 2)}\n`)
    const accounts = p.accounts.data.accounts
      .filter((a) => a.service === 'issuer' && a.authority === id)
      .map(({ username, password, role }) => ({ username, password, role }))
    return { ...result, accounts, accountsFile: p.accounts.file, actions }
  } finally {
    await p.anchors.close()
  }
}
