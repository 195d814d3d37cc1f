import { fail, redirect } from '@sveltejs/kit'
import { t } from '$lib/i18n'
import { failLoad, requireParty, serviceMessage } from '$lib/server/guard'
import { createPresentationRequest, listReports } from '$lib/server/verifier'
import { parseVerifyForm, todayIn } from '$lib/verify-form'
import type { Actions, PageServerLoad } from './$types'

/** The verifier's time zone decides what "today" is (the verifier's own default for asOf). */
const verifierToday = () => todayIn(process.env.FLORA_VERIFIER_TIME_ZONE || 'Europe/Paris')

export const load: PageServerLoad = async ({ locals, url }) => {
  const session = requireParty(locals, url, 'verifier')
  try {
    return { reports: await listReports(session), today: verifierToday() }
  } catch (error) {
    failLoad(error, url)
  }
}

export const actions = {
  request: async ({ locals, url, request }) => {
    const session = requireParty(locals, url, 'verifier')
    const parsed = parseVerifyForm(await request.formData(), verifierToday())
    if (!parsed.request) {
      const fieldErrors = Object.fromEntries(
        Object.entries(parsed.errors).map(([field, key]) => [field, t(locals.lang, key, { date: verifierToday() })]),
      )
      return fail(400, { ...parsed.values, fieldErrors })
    }
    let created: Awaited<ReturnType<typeof createPresentationRequest>>
    try {
      created = await createPresentationRequest(session, parsed.request)
    } catch (error) {
      return fail(502, { ...parsed.values, error: serviceMessage(locals.lang, error) })
    }
    redirect(303, `/verify/requests/${created.id}?link=${encodeURIComponent(created.authorizationRequest)}`)
  },
} satisfies Actions
