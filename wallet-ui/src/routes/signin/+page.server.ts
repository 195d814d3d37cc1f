import { fail, redirect } from '@sveltejs/kit'
import { Throttled } from '@flora/service-kit/throttle'
import { t } from '$lib/i18n'
import { safeReturnPath } from '$lib/safe-path'
import { isAuthorityId, LAST_AUTHORITY_COOKIE, type SignInAuthority, signInAuthorities } from '$lib/server/authorities'
import { serviceMessage } from '$lib/server/guard'
import { ServiceError } from '$lib/server/services'
import { type Party, setDeviceCookie, setSessionCookie, signIn, walletDeviceCookie } from '$lib/server/session'
import { countSignIn } from '$lib/server/signin-throttle'
import type { Actions, PageServerLoad } from './$types'

const home = (party: Party) => (party === 'verifier' ? '/verify' : '/cases')

export const load: PageServerLoad = async ({ locals, url, cookies }) => {
  if (locals.session) redirect(303, home(locals.session.party))
  // The issuer's authorities to choose from; without the list the form asks for the id as text.
  let authorities: SignInAuthority[] | null = null
  try {
    authorities = await signInAuthorities()
  } catch {
    authorities = null
  }
  const last = cookies.get(LAST_AUTHORITY_COOKIE) ?? ''
  return {
    expired: url.searchParams.get('expired') === '1',
    returnTo: safeReturnPath(url.searchParams.get('returnTo') ?? ''),
    authorities,
    lastAuthority: isAuthorityId(last) ? last : '',
  }
}

const minutes = (seconds: number) => String(Math.max(1, Math.ceil(seconds / 60)))

export const actions = {
  default: async ({ request, cookies, locals, url, getClientAddress }) => {
    const form = await request.formData()
    const party = form.get('party') === 'verifier' ? 'verifier' : 'authority'
    const username = String(form.get('username') ?? '').trim()
    const password = String(form.get('password') ?? '')
    const authorityId = String(form.get('authorityId') ?? '').trim()
    const returnTo = safeReturnPath(form.get('returnTo'))
    const kept = { party, username, authorityId }
    if (!username || !password) return fail(400, { ...kept, error: t(locals.lang, 'signInMissing') })
    if (username.length > 200 || password.length > 1000 || authorityId.length > 100)
      return fail(400, { ...kept, error: t(locals.lang, 'signInFailed') })
    // the authority is part of every issuer login: usernames are unique per authority only
    if (party === 'authority' && !isAuthorityId(authorityId))
      return fail(400, { ...kept, error: t(locals.lang, 'signInAuthorityMissing') })
    const client = getClientAddress()
    let counted: Awaited<ReturnType<typeof countSignIn>>
    try {
      counted = await countSignIn({
        client,
        party,
        username,
        authorityId: party === 'authority' ? authorityId : undefined,
      })
    } catch (error) {
      if (!(error instanceof Throttled)) throw error
      return fail(429, { ...kept, error: t(locals.lang, 'signInThrottled', { minutes: minutes(error.retryAfterSeconds) }) })
    }
    try {
      const { cookie, expiresAt, device } = await signIn(party, username, password, {
        client,
        deviceToken: cookies.get(walletDeviceCookie(party)),
        authorityId: party === 'authority' ? authorityId : undefined,
      })
      await counted.refund()
      const secure = url.protocol === 'https:'
      setSessionCookie(cookies, cookie, expiresAt, secure)
      if (device) setDeviceCookie(cookies, party, device.value, device.expires, secure)
      if (party === 'authority')
        cookies.set(LAST_AUTHORITY_COOKIE, authorityId, {
          path: '/signin',
          httpOnly: true,
          sameSite: 'lax',
          secure,
          maxAge: 365 * 86_400,
        })
    } catch (error) {
      const judged = error instanceof ServiceError && ['unauthenticated', 'throttled'].includes(error.kind)
      // the service never judged the password (down, slow, broken): this try does not count
      if (!judged && !(error instanceof ServiceError && error.status === 400)) await counted.refund()
      if (error instanceof ServiceError && error.kind === 'throttled')
        return fail(429, {
          ...kept,
          error: t(locals.lang, 'signInThrottled', { minutes: minutes(error.retryAfterSeconds || 60) }),
        })
      const wrong = error instanceof ServiceError && (error.kind === 'unauthenticated' || error.status === 400)
      return fail(wrong ? 401 : 503, {
        ...kept,
        error: wrong ? t(locals.lang, 'signInFailed') : serviceMessage(locals.lang, error),
      })
    }
    const target = returnTo !== '/' && returnTo.startsWith(home(party)) ? returnTo : home(party)
    redirect(303, target)
  },
} satisfies Actions
