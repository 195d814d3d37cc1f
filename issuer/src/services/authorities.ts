import { isAuthorityRole, type MilestoneType, mayIssueMilestone } from '@flora/credentials'
import {
  AccreditationMissing,
  AlreadyExists,
  AuthorityNotOnboarded,
  ResourceNotFound,
  RoleMayNotIssue,
} from '../errors.ts'
import { accreditationCovers, currentAccreditation } from './accreditation.ts'
import { type IssuerContext, isUniqueViolation } from './context.ts'

export { forgetAccreditations } from './accreditation.ts'

export interface AuthorityRecord {
  id: string
  name: string
  role: string
  did: string | null
  controllerKid: string | null
  assertionKid: string | null
  attributeUrl: string | null
  proxyId: string | null
}

/** Registers a tenant authority (deployment operator; no keys yet). */
export async function registerAuthority(
  ctx: IssuerContext,
  args: { id: string; name: string; role: string },
) {
  if (!isAuthorityRole(args.role)) throw new TypeError(`unknown authority role ${args.role}`)
  try {
    await ctx.db.authority.create({ data: { id: args.id, name: args.name, role: args.role } })
  } catch (error) {
    if (isUniqueViolation(error)) throw new AlreadyExists(`authority ${args.id} exists`)
    throw error
  }
  authorityCache.delete(args.id)
}

/** Creates the authority's two keys in the encrypted key store (onboarding, step 1). */
export async function createAuthorityKeys(ctx: IssuerContext, authorityId: string) {
  const authority = await getAuthority(ctx, authorityId)
  if (authority.assertionKid)
    return { controllerKid: authority.controllerKid!, assertionKid: authority.assertionKid }
  const { controller, assertion } = await ctx.keyring.createAuthorityKeys(authorityId)
  await ctx.db.authority.update({
    where: { id: authorityId },
    data: { controllerKid: controller.kid, assertionKid: assertion.kid },
  })
  authorityCache.delete(authorityId)
  return { controllerKid: controller.kid, assertionKid: assertion.kid, controller, assertion }
}

/** Records the ledger facts of an onboarded authority (did, TIR attribute, status-list proxy). */
export async function recordOnboarding(
  ctx: IssuerContext,
  authorityId: string,
  facts: { did: string; attributeUrl: string; proxyId?: string },
) {
  await ctx.db.authority.update({
    where: { id: authorityId },
    data: { did: facts.did, attributeUrl: facts.attributeUrl, proxyId: facts.proxyId ?? null },
  })
  authorityCache.delete(authorityId)
}

/** Records the authority's keys and/or its chosen did:ebsi (deployment onboarding, before registration). */
export async function updateAuthorityKeysAndDid(
  ctx: IssuerContext,
  authorityId: string,
  data: { did?: string; controllerKid?: string; assertionKid?: string },
) {
  await ctx.db.authority.update({ where: { id: authorityId }, data })
  authorityCache.delete(authorityId)
}

export async function setAuthorityProxy(ctx: IssuerContext, authorityId: string, proxyId: string) {
  await ctx.db.authority.update({ where: { id: authorityId }, data: { proxyId } })
  authorityCache.delete(authorityId)
}

/**
 * The authorities staff sign in at, by id and name, sorted by name: what a sign-in form offers.
 * Both are public anyway (the OpenID4VCI metadata shows the name, the ledger the authority).
 */
export async function listAuthoritiesForSignIn(ctx: IssuerContext): Promise<{ id: string; name: string }[]> {
  return ctx.db.authority.findMany({
    select: { id: true, name: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  })
}

const authorityCache = new Map<string, AuthorityRecord>()

export async function getAuthority(ctx: IssuerContext, id: string): Promise<AuthorityRecord> {
  const cached = authorityCache.get(id)
  if (cached) return cached
  const row = await ctx.db.authority.findUnique({ where: { id } })
  if (!row) throw new ResourceNotFound('authority not found')
  authorityCache.set(id, row)
  return row
}

/** An authority ready to sign: did, assertion key, TIR attribute and proxy are known. */
export async function getOnboardedAuthority(ctx: IssuerContext, id: string) {
  const authority = await getAuthority(ctx, id)
  if (!authority.did || !authority.assertionKid || !authority.attributeUrl || !authority.proxyId)
    throw new AuthorityNotOnboarded(`authority ${id} is not onboarded on the ledger yet`)
  return authority as AuthorityRecord & {
    did: string
    assertionKid: string
    attributeUrl: string
    proxyId: string
  }
}

/**
 * Refuses unless (1) the authority's catalogue role may issue the type and (2) its accreditation on
 * the ledger (TIR) covers the type with this type's schema, and is not revoked.
 * @throws RoleMayNotIssue | AccreditationMissing | AuthorityNotOnboarded
 */
export async function assertMayIssue(ctx: IssuerContext, authorityId: string, type: MilestoneType) {
  const authority = await getOnboardedAuthority(ctx, authorityId)
  if (!mayIssueMilestone(authority.role, type))
    throw new RoleMayNotIssue(`the role ${authority.role} may not issue ${type}`, {
      milestoneType: type,
      role: authority.role,
    })
  const schemaUrl = ctx.ledger.milestoneSchemaUrl(type)
  const accreditation = (await currentAccreditation(ctx, authority.did)).value
  const covered = accreditationCovers(accreditation, type, schemaUrl)
  if (!covered)
    throw new AccreditationMissing(
      accreditation?.issuerType === 'Revoked'
        ? `the accreditation of ${authority.did} is revoked`
        : `the ledger accreditation of ${authority.did} does not cover ${type}`,
      {
        milestoneType: type,
        missingAccreditation: {
          types: ['VerifiableCredential', 'VerifiableAttestation', type],
          schemaId: schemaUrl,
        },
      },
    )
  return authority
}
