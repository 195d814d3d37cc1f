import { fail, redirect } from '@sveltejs/kit'
import { t } from '$lib/i18n'
import { safeReturnPath } from '$lib/safe-path'
import { serviceMessage } from '$lib/server/guard'
import { ServiceError } from '$lib/server/services'
import { type Party, setSessionCookie, signIn } from '$lib/server/session'
import type { Actions, PageServerLoad } from './$types'

const home = (party: Party) => (party === 'verifier' ? '/verify' : '/cases')

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.session) redirect(303, home(locals.session.party))
  return { expired: url.searchParams.get('expired') === '1', returnTo: safeReturnPath(url.searchParams.get('returnTo') ?? '') }
}

export const actions = {
  default: async ({ request, cookies, locals, url }) => {
    const form = await request.formData()
    const party = form.get('party') === 'verifier' ? 'verifier' : 'authority'
    const username = String(form.get('username') ?? '').trim()
    const password = String(form.get('password') ?? '')
    const returnTo = safeReturnPath(form.get('returnTo'))
    if (!username || !password) return fail(400, { party, username, error: t(locals.lang, 'signInMissing') })
    try {
      const { cookie, expiresAt } = await signIn(party, username, password)
      setSessionCookie(cookies, cookie, expiresAt, url.protocol === 'https:')
    } catch (error) {
      const wrong = error instanceof ServiceError && (error.kind === 'unauthenticated' || error.status === 400)
      return fail(wrong ? 401 : 503, {
        party,
        username,
        error: wrong ? t(locals.lang, 'signInFailed') : serviceMessage(locals.lang, error),
      })
    }
    const target = returnTo !== '/' && returnTo.startsWith(home(party)) ? returnTo : home(party)
    redirect(303, target)
  },
} satisfies Actions
