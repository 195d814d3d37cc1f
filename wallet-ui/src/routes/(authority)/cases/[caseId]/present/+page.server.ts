import { getMilestone, isMilestoneType } from '@flora/credentials'
import { fail } from '@sveltejs/kit'
import { t } from '$lib/i18n'
import { caseView } from '$lib/server/cases'
import { failLoad, holderRefusalMessage, requireParty, serviceMessage } from '$lib/server/guard'
import { consent, decline, listRequests, receiveRequest } from '$lib/server/present'
import type { Actions, PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const session = requireParty(locals, url, 'authority')
  try {
    await caseView(session, params.caseId)
  } catch (error) {
    failLoad(error, url)
  }
  const requests = await listRequests(params.caseId)
  const title = (type: string) => (isMilestoneType(type) ? getMilestone(type).title[locals.lang] : type)
  return {
    caseId: params.caseId,
    requests: requests.map((r) => ({ ...r, wouldSend: r.wouldSend.map(title) })),
    link: url.searchParams.get('request') ?? '',
  }
}

async function guarded(locals: App.Locals, url: URL, caseId: string) {
  const session = requireParty(locals, url, 'authority')
  await caseView(session, caseId)
}

export const actions = {
  receive: async ({ locals, url, request, params }) => {
    const link = String((await request.formData()).get('link') ?? '').trim()
    if (!link) return fail(400, { link, linkError: t(locals.lang, 'errRequired') })
    try {
      await guarded(locals, url, params.caseId)
      await receiveRequest(params.caseId, link)
    } catch (error) {
      const message =
        holderRefusalMessage(locals.lang, error) ??
        (typeof (error as { code?: unknown })?.code === 'string' && String((error as { code: string }).code).startsWith('ERR_') && !(error instanceof Error && error.name === 'ServiceError')
          ? t(locals.lang, 'requestRejected', { detail: (error as Error).message })
          : serviceMessage(locals.lang, error))
      return fail(400, { link, linkError: message })
    }
    return { receivedRequest: true }
  },
  consent: async ({ locals, url, request, params }) => {
    const requestId = String((await request.formData()).get('requestId') ?? '')
    try {
      await guarded(locals, url, params.caseId)
    } catch (error) {
      return fail(502, { actionError: serviceMessage(locals.lang, error) })
    }
    const result = await consent(params.caseId, requestId)
    if (!result) return fail(404, { actionError: 'request not found or already answered' })
    return { answered: requestId }
  },
  decline: async ({ locals, url, request, params }) => {
    const requestId = String((await request.formData()).get('requestId') ?? '')
    try {
      await guarded(locals, url, params.caseId)
    } catch (error) {
      return fail(502, { actionError: serviceMessage(locals.lang, error) })
    }
    const result = await decline(params.caseId, requestId)
    if (!result) return fail(404, { actionError: 'request not found or already answered' })
    return { declined: requestId }
  },
} satisfies Actions
