import { getMilestone, isMilestoneType } from '@flora/credentials'
import { error } from '@sveltejs/kit'
import { caseView, credentialOf } from '$lib/server/cases'
import { checkCredential } from '$lib/server/credential-check'
import { decodeJwtParts } from '$lib/server/deps'
import { failLoad, requireParty } from '$lib/server/guard'
import type { PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const session = requireParty(locals, url, 'authority')
  let view: Awaited<ReturnType<typeof caseView>>
  try {
    view = await caseView(session, params.caseId) // grant check at the issuer
  } catch (cause) {
    failLoad(cause, url)
  }
  const found = await credentialOf(params.caseId, params.credentialId)
  if (!found) error(404, { message: 'Not Found' })
  const entry = view.entries.find((e) => e.credentialId === params.credentialId)
  const { header, payload } = decodeJwtParts(found.row.jwt)
  const subject = ((payload.vc as { credentialSubject?: Record<string, unknown> })?.credentialSubject ?? {}) as Record<string, unknown>
  const checks = await checkCredential({
    jwt: found.row.jwt,
    holderDid: view.holderDid,
    state: entry?.state ?? 'unknown',
    anchor: entry?.anchor ?? { state: found.row.inclusionProof ? 'anchored' : 'pending', blockNumber: null, anchoredAt: null },
  })
  const type = found.milestoneType
  return {
    caseId: params.caseId,
    type,
    title: isMilestoneType(type) ? getMilestone(type).title[locals.lang] : type,
    jwt: found.row.jwt,
    header,
    payload,
    subject,
    checks,
    state: entry?.state ?? 'unknown',
    issuerName: entry?.issuerName ?? found.row.issuer,
  }
}
