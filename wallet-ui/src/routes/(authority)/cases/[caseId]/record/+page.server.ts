import { randomUUID } from 'node:crypto'
import { getMilestone, isAbsenceMilestone, isMilestoneType, subjectSchemaFor } from '@flora/credentials'
import { fail } from '@sveltejs/kit'
import { caseView, recordMilestone } from '$lib/server/cases'
import { failLoad, requireParty, serviceMessage } from '$lib/server/guard'
import { qrDataUrl } from '$lib/server/qr'
import { ServiceError } from '$lib/server/services'
import type { WalletSessionData } from '$lib/server/session'
import { type FieldError, fieldNameOfPointer, fieldsFromSchema, leafFields, readClaims } from '$lib/schema-form'
import type { Actions, PageServerLoad } from './$types'

/** Only the types the authority's issuer metadata offers (milestonesIssuableBy its role). */
const issuable = (session: WalletSessionData) => session.issuableTypes.filter(isMilestoneType)

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const session = requireParty(locals, url, 'authority')
  try {
    await caseView(session, params.caseId)
  } catch (error) {
    failLoad(error, url)
  }
  const types = issuable(session).map((type) => ({ type, title: getMilestone(type).title[locals.lang] }))
  const requested = url.searchParams.get('type') ?? ''
  const type = types.some((t) => t.type === requested) ? requested : ''
  return {
    caseId: params.caseId,
    types,
    type,
    typeTitle: type ? getMilestone(type).title[locals.lang] : '',
    fields: type ? fieldsFromSchema(subjectSchemaFor(type), { absence: isAbsenceMilestone(type) }) : [],
  }
}

export const actions = {
  record: async ({ locals, url, request, params }) => {
    const session = requireParty(locals, url, 'authority')
    const form = await request.formData()
    const type = String(form.get('type') ?? '')
    if (!issuable(session).includes(type as never)) return fail(403, { error: 'type', values: {}, errors: {} })
    const fields = fieldsFromSchema(subjectSchemaFor(type), { absence: isAbsenceMilestone(type) })
    const values: Record<string, string> = {}
    for (const field of leafFields(fields)) values[field.name] = String(form.get(field.name) ?? '')
    const eurodacReference = String(form.get('eurodacReference') ?? '').trim()
    values.eurodacReference = eurodacReference
    const idempotencyKey = String(form.get('idempotencyKey') ?? '') || randomUUID()
    const { claims, errors } = readClaims(fields, values)
    if (Object.keys(errors).length) return fail(400, { values, errors, idempotencyKey })
    try {
      const offer = await recordMilestone(session, params.caseId, {
        type,
        claims,
        idempotencyKey,
        ...(eurodacReference ? { eurodacReference } : {}),
      })
      return { offer: { ...offer, qr: await qrDataUrl(offer.offerUri) } }
    } catch (error) {
      // The issuer names the field (problem+json invalid-params) or the missing accreditation.
      const fieldErrors: Record<string, FieldError> = {}
      const known = new Set(leafFields(fields).map((f) => f.name))
      if (error instanceof ServiceError)
        for (const param of error.invalidParams) {
          const name = fieldNameOfPointer(param.name)
          if (known.has(name)) fieldErrors[name] = { key: 'pattern', params: { pattern: param.reason } }
        }
      return fail(error instanceof ServiceError && error.status < 500 ? error.status : 502, {
        values,
        errors: fieldErrors,
        idempotencyKey: randomUUID(),
        error: serviceMessage(locals.lang, error),
      })
    }
  },
} satisfies Actions
