import { credentialSchemaFor, isAuthorityRole, milestoneCatalogue } from '@flora/credentials'
import {
  actorAddress,
  EbsiClient,
  type EbsiEntity,
  EbsiNotFound,
  onboardEntity,
  type Signer,
} from '@flora/ebsi-connector'
import { jwkThumbprint, onboardingKeyOf, utf8ToHex } from '@flora/ebsi-connector/core'
import { ANCHORING_OWNER } from '../assembly.ts'
import { statusList2021EntrySchema } from '../ledger/status-entry-schema.ts'
import { audit } from './audit.ts'
import { createApiToken, createStaffAccount, type StaffRole } from './auth.ts'
import {
  type AuthorityRecord,
  createAuthorityKeys,
  forgetAccreditations,
  getAuthority,
  recordOnboarding,
  registerAuthority,
  updateAuthorityKeysAndDid,
} from './authorities.ts'
import type { IssuerContext } from './context.ts'
import { DEPLOYMENT_ADMIN } from './deployment-admin.ts'
import { newDidEbsi, proxyIdOf } from './onboarding.ts'
import { statusListPath, statusListPrefix } from './status-lists.ts'

/**
 * The deployment administrator's side of EBSI onboarding, step by step and idempotent, so that a
 * bootstrap (or an operator with curl) can drive it over HTTP while the accreditor (a TAO with its
 * own keys elsewhere) signs what only it may sign:
 *
 *   1. create the tenant            POST /admin/authorities
 *   2. keys + did:ebsi              POST /admin/authorities/{id}/did          → DID, public keys
 *   3. TAO: VerifiableAuthorisationToOnboard for that DID
 *   4. DIDR registration            POST /admin/authorities/{id}/onboarding   (didr_invite)
 *   5. TAO: setAttributeMetadata + VerifiableAccreditationToAttest
 *   6. TIR attribute + proxy        POST /admin/authorities/{id}/accreditation (tir_invite, tir_write)
 *
 * Every step may be repeated: it completes what is missing and changes nothing that is done.
 */

const JURISDICTION_SETTING = (id: string) => `issuer.authority.${id}.jurisdiction`
const PENDING_ANCHORING = 'issuer.anchoring-identity.pending'
const ANCHORING = 'issuer.anchoring-identity'

const ledgerClients = new WeakMap<IssuerContext, EbsiClient>()

/** The EBSI client of the deployment (the ledger gateway's when it is EBSI-backed). */
export function ebsiOf(ctx: IssuerContext): EbsiClient {
  const own = (ctx.ledger as { ebsi?: unknown }).ebsi
  if (own instanceof EbsiClient) return own
  let client = ledgerClients.get(ctx)
  if (!client) {
    client = new EbsiClient({ baseUrl: ctx.config.FLORA_LEDGER_URL })
    ledgerClients.set(ctx, client)
  }
  return client
}

/** A key of the keyring as the full Signer the EBSI client needs (transactions need signDigest). */
async function fullSigner(ctx: IssuerContext, owner: string, kid: string): Promise<Signer> {
  const signer = (await ctx.keyring.signer(owner, kid)) as unknown as Partial<Signer>
  if (typeof signer.signDigest !== 'function' || typeof signer.signJwt !== 'function')
    throw new TypeError('this deployment’s keyring cannot sign ledger transactions')
  return signer as Signer
}

const publicKey = (signer: Signer) => ({ kid: signer.kid, publicKeyJwk: signer.publicKeyJwk })

function jwtPayload(jwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
  } catch {
    throw Object.assign(new Error('not a JWT'), { status: 400 })
  }
}

function requireSubject(jwt: string, did: string, what: string): Record<string, unknown> {
  const payload = jwtPayload(jwt)
  const vc = payload.vc as { credentialSubject?: { id?: unknown } } | undefined
  const subject = payload.sub ?? vc?.credentialSubject?.id
  if (subject !== did)
    throw Object.assign(new Error(`the ${what} is not about ${did}`), {
      status: 400,
      expose: true,
    })
  return payload
}

/**
 * An authorisation to onboard names the controller key it authorises (`cnf.jwk`); the ledger refuses
 * any other, so a mismatch is the caller's error (400), found before any ledger call.
 */
function requireAuthorisedController(payload: Record<string, unknown>, entity: EbsiEntity): void {
  const key = onboardingKeyOf(payload)
  const kid = jwkThumbprint(entity.controller.publicKeyJwk)
  if (!key || jwkThumbprint(key) !== kid)
    throw Object.assign(
      new Error(`the authorisation to onboard does not name the controller key ${kid} of ${entity.did}`),
      { status: 400, expose: true },
    )
}

// --- schemas

/**
 * The schemas this issuer's credentials name in `credentialSchema`, with the TSR URL each must have:
 * every milestone schema of the catalogue and the StatusList2021 extension schema. Whoever holds
 * the TSR write right (EBSI, or the embedded ledger's operator) registers them.
 */
export function ledgerSchemas(ctx: IssuerContext) {
  return [
    ...milestoneCatalogue.map((entry) => ({
      name: entry.type,
      url: ctx.ledger.milestoneSchemaUrl(entry.type),
      schema: credentialSchemaFor(entry.type) as Record<string, unknown>,
    })),
    {
      name: 'StatusList2021Entry',
      url: ctx.ledger.statusEntrySchemaUrl(),
      schema: statusList2021EntrySchema as unknown as Record<string, unknown>,
    },
  ]
}

// --- tenants

export async function createTenant(
  ctx: IssuerContext,
  args: { id: string; name: string; role: string; jurisdiction?: string },
) {
  if (!isAuthorityRole(args.role))
    throw Object.assign(new Error(`unknown authority role ${args.role}`), { status: 400, expose: true })
  await registerAuthority(ctx, args)
  if (args.jurisdiction)
    await ctx.db.serviceSetting.create({
      data: { key: JURISDICTION_SETTING(args.id), value: args.jurisdiction },
    })
  await audit(
    ctx.db,
    { authorityId: args.id, ...DEPLOYMENT_ADMIN },
    { action: 'authority.create', subjectId: args.id },
  )
  return tenantView(ctx, args.id)
}

export async function listTenants(ctx: IssuerContext) {
  const rows = await ctx.db.authority.findMany({ orderBy: { createdAt: 'asc' } })
  return Promise.all(rows.map((row) => tenantView(ctx, row.id, row)))
}

/**
 * A tenant's onboarding state. `stage`: created → keys (DID chosen, not on the ledger) → registered
 * (DID document on the DIDR) → accredited (TIR attribute and status-list proxy recorded).
 * With `checkLedger`, registration is read from the DID Registry instead of inferred.
 */
export async function tenantView(ctx: IssuerContext, id: string, row?: AuthorityRecord, checkLedger = false) {
  const authority = row ?? (await getAuthority(ctx, id))
  const jurisdiction = (await ctx.db.serviceSetting.findUnique({ where: { key: JURISDICTION_SETTING(id) } }))
    ?.value
  let registered: boolean | undefined
  if (checkLedger && authority.did) registered = await didRegistered(ebsiOf(ctx), authority.did)
  const accredited = Boolean(authority.attributeUrl && authority.proxyId)
  const stage = accredited
    ? 'accredited'
    : registered
      ? 'registered'
      : authority.did && authority.assertionKid
        ? 'keys'
        : 'created'
  return {
    id: authority.id,
    name: authority.name,
    role: authority.role,
    jurisdiction: jurisdiction ?? null,
    did: authority.did,
    attributeUrl: authority.attributeUrl,
    proxyId: authority.proxyId,
    stage,
    ...(registered !== undefined ? { didRegistered: registered } : {}),
  }
}

async function didRegistered(ebsi: EbsiClient, did: string): Promise<boolean> {
  try {
    await ebsi.didRegistry.resolve(did)
    return true
  } catch (error) {
    if (error instanceof EbsiNotFound) return false
    throw error
  }
}

/**
 * Step 2: the tenant's two keys in the encrypted key store and its did:ebsi (chosen now, registered
 * in step 4). Repeating it returns the same DID and keys.
 */
export async function ensureTenantDid(ctx: IssuerContext, id: string) {
  let authority = await getAuthority(ctx, id)
  if (!authority.assertionKid) {
    // A crash between key creation and recording them leaves the keys under their aliases.
    const keys = await ctx.db.storedKey.findMany({ where: { owner: id } })
    const controller = keys.find((k) => k.alias === 'controller')
    const assertion = keys.find((k) => k.alias === 'assertion')
    if (controller && assertion)
      await updateAuthorityKeysAndDid(ctx, id, { controllerKid: controller.kid, assertionKid: assertion.kid })
    else {
      if (keys.length) await ctx.db.storedKey.deleteMany({ where: { owner: id } })
      await createAuthorityKeys(ctx, id)
    }
    authority = await getAuthority(ctx, id)
  }
  if (!authority.did) {
    await updateAuthorityKeysAndDid(ctx, id, { did: newDidEbsi() })
    authority = await getAuthority(ctx, id)
    await audit(ctx.db, { authorityId: id, ...DEPLOYMENT_ADMIN }, { action: 'authority.did', subjectId: id })
  }
  const entity = await tenantEntity(ctx, authority)
  return {
    id,
    did: entity.did,
    controllerKey: publicKey(entity.controller),
    assertionKey: publicKey(entity.assertion),
  }
}

async function tenantEntity(ctx: IssuerContext, authority: AuthorityRecord): Promise<EbsiEntity> {
  if (!authority.did || !authority.controllerKid || !authority.assertionKid)
    throw Object.assign(new Error(`authority ${authority.id} has no DID yet (POST …/did first)`), {
      status: 409,
      expose: true,
    })
  return {
    did: authority.did,
    controller: await fullSigner(ctx, authority.id, authority.controllerKid),
    assertion: await fullSigner(ctx, authority.id, authority.assertionKid),
  }
}

/** Step 4: registers the tenant's DID document with the TAO's VerifiableAuthorisationToOnboard. */
export async function onboardTenant(ctx: IssuerContext, id: string, authorisationToOnboard: string) {
  const entity = await tenantEntity(ctx, await getAuthority(ctx, id))
  requireAuthorisedController(requireSubject(authorisationToOnboard, entity.did, 'authorisation to onboard'), entity)
  const steps = await registerDidDocument(ebsiOf(ctx), entity, authorisationToOnboard)
  await audit(
    ctx.db,
    { authorityId: id, ...DEPLOYMENT_ADMIN },
    { action: 'authority.onboard', subjectId: id },
  )
  return { id, did: entity.did, registered: true, transactions: steps }
}

/**
 * Step 6: writes the accreditation the TAO pre-registered into the tenant's TIR attribute
 * (setAttributeData under tir_invite, signed by the tenant), records the attribute URL, and
 * registers the status-list proxy (the TIR's proxy test fetches the tenant's first list).
 */
export async function accreditTenant(
  ctx: IssuerContext,
  id: string,
  args: { attributeId: string; accreditation: string },
) {
  const ebsi = ebsiOf(ctx)
  const authority = await getAuthority(ctx, id)
  const entity = await tenantEntity(ctx, authority)
  const payload = requireSubject(args.accreditation, entity.did, 'accreditation')
  const reserved = (payload.vc as { credentialSubject?: { reservedAttributeId?: unknown } } | undefined)
    ?.credentialSubject?.reservedAttributeId
  if (typeof reserved === 'string' && reserved.toLowerCase() !== args.attributeId.toLowerCase())
    throw Object.assign(new Error('attributeId is not the accreditation’s reservedAttributeId'), {
      status: 400,
      expose: true,
    })
  let written = false
  let attribute: { body?: string } | undefined
  try {
    attribute = (await ebsi.trustedIssuersRegistry.getAttribute(entity.did, args.attributeId)).attribute
  } catch (error) {
    if (!(error instanceof EbsiNotFound)) throw error
    throw Object.assign(
      new Error(`attribute ${args.attributeId} of ${entity.did} is not pre-registered in the TIR`),
      { status: 409, expose: true },
    )
  }
  if (!attribute.body) {
    await ebsi.transactions.write({
      api: 'trusted-issuers-registry',
      method: 'setAttributeData',
      scope: 'tir_invite',
      actor: { did: entity.did, controller: entity.controller, authentication: entity.assertion },
      credentials: [args.accreditation],
      params: {
        did: entity.did,
        attributeId: args.attributeId,
        attributeData: utf8ToHex(args.accreditation),
      },
    })
    written = true
  }
  const attributeUrl = ebsi.trustedIssuersRegistry.attributeUrl(entity.did, args.attributeId)
  const proxy = {
    prefix: statusListPrefix(ctx.config.FLORA_ISSUER_PUBLIC_URL, id),
    headers: {},
    testSuffix: statusListPath('revocation', 1),
  }
  const proxyId = proxyIdOf(entity.did, proxy)
  // Recorded before the proxy exists: the list the TIR fetches for its proxy test names it.
  await recordOnboarding(ctx, id, { did: entity.did, attributeUrl, proxyId })
  let proxies: string[] = []
  try {
    proxies = (await ebsi.trustedIssuersRegistry.listProxies(entity.did)).items.map((p) => p.proxyId)
  } catch (error) {
    if (!(error instanceof EbsiNotFound)) throw error
  }
  if (!proxies.includes(proxyId))
    await ebsi.transactions.write({
      api: 'trusted-issuers-registry',
      method: 'addIssuerProxy',
      scope: 'tir_write',
      actor: { did: entity.did, controller: entity.controller, authentication: entity.assertion },
      params: { did: entity.did, proxyData: utf8ToHex(JSON.stringify(proxy)) },
    })
  forgetAccreditations()
  await audit(
    ctx.db,
    { authorityId: id, ...DEPLOYMENT_ADMIN },
    { action: 'authority.accredit', subjectId: id },
  )
  return { ...(await tenantView(ctx, id)), attributeWritten: written }
}

export async function createTenantStaff(
  ctx: IssuerContext,
  id: string,
  args: { username: string; password: string; role: StaffRole },
) {
  const created = await createStaffAccount(ctx, undefined, { authorityId: id, ...args })
  await audit(
    ctx.db,
    { authorityId: id, ...DEPLOYMENT_ADMIN },
    { action: 'staff.create', subjectId: created.id },
  )
  return created
}

export async function createTenantApiToken(
  ctx: IssuerContext,
  id: string,
  args: { name: string; role: StaffRole },
) {
  await getAuthority(ctx, id)
  const created = await createApiToken(ctx, undefined, { authorityId: id, ...args })
  await audit(
    ctx.db,
    { authorityId: id, ...DEPLOYMENT_ADMIN },
    { action: 'api-token.create', subjectId: created.id },
  )
  return created
}

// --- the deployment's one anchoring identity

interface AnchoringRecord {
  did: string
  controllerKid: string
  assertionKid: string
}

async function readSetting(ctx: IssuerContext, key: string): Promise<AnchoringRecord | undefined> {
  const row = await ctx.db.serviceSetting.findUnique({ where: { key } })
  return row ? (JSON.parse(row.value) as AnchoringRecord) : undefined
}

async function anchoringEntity(ctx: IssuerContext, record: AnchoringRecord): Promise<EbsiEntity> {
  return {
    did: record.did,
    controller: await fullSigner(ctx, ANCHORING_OWNER, record.controllerKid),
    assertion: await fullSigner(ctx, ANCHORING_OWNER, record.assertionKid),
  }
}

/** The anchoring identity: `none`, `keys` (DID chosen, not registered) or `onboarded` (anchoring runs). */
export async function anchoringView(ctx: IssuerContext) {
  const onboarded = await readSetting(ctx, ANCHORING)
  const record = onboarded ?? (await readSetting(ctx, PENDING_ANCHORING))
  if (!record) return { stage: 'none' as const, did: null }
  const entity = await anchoringEntity(ctx, record)
  return {
    stage: onboarded ? ('onboarded' as const) : ('keys' as const),
    did: record.did,
    /** The Ethereum address the Timestamp API records as `timestampedBy`. */
    address: actorAddress(entity),
    controllerKey: publicKey(entity.controller),
    assertionKey: publicKey(entity.assertion),
  }
}

/** Keys and did:ebsi of the anchoring identity (step 2 for the deployment itself). */
export async function ensureAnchoringDid(ctx: IssuerContext) {
  if (!(await readSetting(ctx, ANCHORING)) && !(await readSetting(ctx, PENDING_ANCHORING))) {
    const keys = await ctx.db.storedKey.findMany({ where: { owner: ANCHORING_OWNER } })
    let controller = keys.find((k) => k.alias === 'controller')?.kid
    let assertion = keys.find((k) => k.alias === 'assertion')?.kid
    if (!controller || !assertion) {
      if (keys.length) await ctx.db.storedKey.deleteMany({ where: { owner: ANCHORING_OWNER } })
      const created = await ctx.keyring.createAuthorityKeys(ANCHORING_OWNER)
      controller = created.controller.kid
      assertion = created.assertion.kid
    }
    const record: AnchoringRecord = { did: newDidEbsi(), controllerKid: controller, assertionKid: assertion }
    try {
      await ctx.db.serviceSetting.create({ data: { key: PENDING_ANCHORING, value: JSON.stringify(record) } })
    } catch {
      // a concurrent request recorded it first; use that one
    }
    await audit(ctx.db, { authorityId: null, ...DEPLOYMENT_ADMIN }, { action: 'anchoring.did' })
  }
  return anchoringView(ctx)
}

/** Registers the anchoring identity's DID document; from then on batches are anchored. */
export async function onboardAnchoring(ctx: IssuerContext, authorisationToOnboard: string) {
  const done = await readSetting(ctx, ANCHORING)
  const record = done ?? (await readSetting(ctx, PENDING_ANCHORING))
  if (!record)
    throw Object.assign(
      new Error('the anchoring identity has no DID yet (POST /admin/anchoring/did first)'),
      {
        status: 409,
        expose: true,
      },
    )
  const payload = requireSubject(authorisationToOnboard, record.did, 'authorisation to onboard')
  const entity = await anchoringEntity(ctx, record)
  requireAuthorisedController(payload, entity)
  const transactions = await registerDidDocument(ebsiOf(ctx), entity, authorisationToOnboard)
  if (!done)
    await ctx.db.serviceSetting.upsert({
      where: { key: ANCHORING },
      create: { key: ANCHORING, value: JSON.stringify(record) },
      update: {},
    })
  await audit(ctx.db, { authorityId: null, ...DEPLOYMENT_ADMIN }, { action: 'anchoring.onboard' })
  return { ...(await anchoringView(ctx)), transactions }
}

// --- DID registration, resumable


/**
 * EBSI's onboarding sequence, completing an interrupted registration rather than repeating it
 * (the client's resumable `onboardEntity`).
 * @returns how many transactions were sent
 */
export async function registerDidDocument(
  ebsi: EbsiClient,
  entity: EbsiEntity,
  authorisationToOnboard: string,
): Promise<number> {
  return (await onboardEntity(ebsi, { entity, authorisationToOnboard })).length
}
