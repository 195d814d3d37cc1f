import { fail, redirect } from '@sveltejs/kit'
import { t } from '$lib/i18n'
import { failLoad, requireParty, serviceMessage } from '$lib/server/guard'
import { createPresentationRequest, listReports } from '$lib/server/verifier'
import type { Actions, PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url }) => {
  const session = requireParty(locals, url, 'verifier')
  try {
    return { reports: await listReports(session) }
  } catch (error) {
    failLoad(error, url)
  }
}

export const actions = {
  request: async ({ locals, url, request }) => {
    const session = requireParty(locals, url, 'verifier')
    const eurodacReference = String((await request.formData()).get('eurodacReference') ?? '').trim()
    if (eurodacReference && !/^[A-Za-z0-9 ]{1,40}$/.test(eurodacReference))
      return fail(400, { eurodacReference, fieldError: t(locals.lang, 'errPattern') })
    let created: Awaited<ReturnType<typeof createPresentationRequest>>
    try {
      created = await createPresentationRequest(session, eurodacReference || undefined)
    } catch (error) {
      return fail(502, { eurodacReference, error: serviceMessage(locals.lang, error) })
    }
    redirect(303, `/verify/requests/${created.id}?link=${encodeURIComponent(created.authorizationRequest)}`)
  },
} satisfies Actions
