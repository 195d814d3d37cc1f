import { error, redirect } from '@sveltejs/kit'
import { isLanguage, LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE } from '$lib/i18n'
import { safeReturnPath } from '$lib/safe-path'
import type { RequestHandler } from './$types'

/**
 * The language switch: a plain form post (works without JavaScript) that stores the choice in a
 * cookie and sends the reader back to the page they were on, now rendered in that language.
 * SvelteKit's CSRF origin check covers this form post.
 */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const form = await request.formData()
  const lang = form.get('lang')
  if (!isLanguage(lang)) error(400, 'Unsupported language')
  cookies.set(LANGUAGE_COOKIE, lang, {
    path: '/',
    maxAge: LANGUAGE_COOKIE_MAX_AGE,
    sameSite: 'lax',
    httpOnly: true,
    // SvelteKit defaults to Secure except on http://localhost; over plain http on 127.0.0.1 a Secure
    // cookie would be dropped, so follow the actual protocol (https behind a proxy via PROTOCOL_HEADER).
    secure: url.protocol === 'https:',
  })
  redirect(303, safeReturnPath(form.get('returnTo')))
}
