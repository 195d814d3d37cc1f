import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit'
import { LANGUAGE_COOKIE, resolveLanguage } from '$lib/i18n'
import { walletConfig } from '$lib/server/config'

/** Validate the configuration at start, so a bad variable stops the server instead of a request. */
export const init: ServerInit = () => {
  walletConfig()
}

export const handle: Handle = async ({ event, resolve }) => {
  const lang = resolveLanguage({
    cookie: event.cookies.get(LANGUAGE_COOKIE),
    acceptLanguage: event.request.headers.get('accept-language'),
  })
  event.locals.lang = lang
  const response = await resolve(event, {
    // <html lang> is in app.html, outside any component: fill it per request.
    transformPageChunk: ({ html }) => html.replace('%lang%', lang),
  })
  response.headers.set('x-content-type-options', 'nosniff')
  response.headers.set('referrer-policy', 'same-origin')
  if (response.headers.get('content-type')?.startsWith('text/html')) {
    // The same URL renders differently per language: caches must key on what decided it.
    response.headers.append('vary', 'Cookie, Accept-Language')
  }
  return response
}

/** Unexpected errors: full detail in the log, only a reference for the reader. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status === 404) return { message }
  const errorId = crypto.randomUUID()
  console.error(
    JSON.stringify({ level: 'error', errorId, path: event.url.pathname, status, err: String(error) }),
    error instanceof Error ? error.stack : '',
  )
  return { message: 'Internal error', errorId }
}
