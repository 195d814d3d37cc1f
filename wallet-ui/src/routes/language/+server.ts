import { error, redirect } from '@sveltejs/kit'
import { isLanguage, LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE } from '$lib/i18n'
import { safeReturnPath } from '$lib/safe-path'
import type { RequestHandler } from './$types'

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data']

/** An RFC 9457 problem (the wallet's own, for requests no browser form sends). */
const problem = (status: number, title: string, detail: string) =>
  new Response(JSON.stringify({ type: 'about:blank', title, status, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  })

/**
 * The language switch: a plain form post (works without JavaScript) that stores the choice in a
 * cookie and sends the reader back to the page they were on, now rendered in that language.
 * The origin check in hooks.server.ts (isForeignStateChange) covers this post.
 */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  // Only a form is read: another body (JSON from a script) or a malformed one is the client's
  // mistake, answered as a problem, not a server error.
  const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (!FORM_TYPES.includes(type))
    return problem(
      415,
      'Unsupported Media Type',
      'send the language form (application/x-www-form-urlencoded or multipart/form-data)',
    )
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    return problem(400, 'Bad Request', 'the form could not be read')
  }
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
