import { fail, redirect } from '@sveltejs/kit'
import { createCase } from '$lib/server/cases'
import { requireParty, serviceMessage } from '$lib/server/guard'
import type { Actions, PageServerLoad } from './$types'

export const load: PageServerLoad = ({ locals, url }) => {
  requireParty(locals, url, 'authority')
  return {}
}

export const actions = {
  default: async ({ locals, url, request }) => {
    const session = requireParty(locals, url, 'authority')
    const fileNumber = String((await request.formData()).get('fileNumber') ?? '').trim()
    let id: string
    try {
      id = await createCase(session, fileNumber || undefined)
    } catch (error) {
      return fail(502, { fileNumber, error: serviceMessage(locals.lang, error) })
    }
    redirect(303, `/cases/${id}`)
  },
} satisfies Actions
