import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit'
import { LANGUAGE_COOKIE, resolveLanguage, t } from '$lib/i18n'
import { walletConfig } from '$lib/server/config'
import { walletDb } from '$lib/server/db'
import { foreignOriginPage, isForeignStateChange, loopbackAliasRedirect } from '$lib/server/origin'
import { securityHeaders } from '$lib/server/security-headers'
import { readSession, sessionCookieName } from '$lib/server/session'

/**
 * Validate the configuration at start, so a bad variable stops the server instead of a request;
 * open (and migrate) the database, which replaces a key-encryption key an earlier version kept in it
 * (see resolveWalletKek). A database that is not reachable yet is retried on the first request.
 */
export const init: ServerInit = async () => {
  walletConfig()
  await walletDb().catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'error', msg: 'wallet database not opened at start', err: String(error) }))
  })
}

export const handle: Handle = async ({ event, resolve }) => {
  const lang = resolveLanguage({
    cookie: event.cookies.get(LANGUAGE_COOKIE),
    acceptLanguage: event.request.headers.get('accept-language'),
  })
  event.locals.lang = lang
  const publicUrl = walletConfig().publicUrl
  const appOrigin = new URL(publicUrl).origin
  if (isForeignStateChange(event.request, appOrigin)) {
    const href = `${appOrigin}${event.url.pathname}`
    return new Response(
      foreignOriginPage({
        lang,
        title: t(lang, 'foreignOriginTitle'),
        text: t(lang, 'foreignOriginText', { origin: appOrigin }),
        linkText: t(lang, 'foreignOriginLink', { origin: appOrigin }),
        href,
      }),
      {
        status: 403,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          vary: 'Cookie, Accept-Language',
          ...securityHeaders(publicUrl),
        },
      },
    )
  }
  // A page opened under another loopback name of this server (127.0.0.1 for localhost): to the
  // configured origin, where its forms will pass the check above. /health stays answerable anywhere.
  if ((event.request.method === 'GET' || event.request.method === 'HEAD') && event.url.pathname !== '/health') {
    const location = loopbackAliasRedirect(
      event.request.headers.get('host'),
      publicUrl,
      event.url.pathname + event.url.search,
    )
    if (location) return new Response(null, { status: 307, headers: { location, 'cache-control': 'no-store' } })
  }
  event.locals.session = undefined
  const cookie = event.cookies.get(sessionCookieName())
  if (cookie) {
    try {
      event.locals.session = await readSession(cookie)
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', msg: 'session lookup failed', err: String(error) }))
    }
  }
  const response = await resolve(event, {
    // <html lang> is in app.html, outside any component: fill it per request.
    transformPageChunk: ({ html }) => html.replace('%lang%', lang),
  })
  for (const [name, value] of Object.entries(securityHeaders(walletConfig().publicUrl))) {
    // a page keeps the Content-Security-Policy SvelteKit computed for it (svelte.config.js)
    if (name === 'content-security-policy' && response.headers.has(name)) continue
    response.headers.set(name, value)
  }
  // Signed-in pages carry case data: never kept by shared caches or the back-forward cache.
  if (event.locals.session) response.headers.set('cache-control', 'no-store')
  if (response.headers.get('content-type')?.startsWith('text/html')) {
    // The same URL renders differently per language: caches must key on what decided it.
    response.headers.append('vary', 'Cookie, Accept-Language')
  }
  return response
}

/**
 * Unexpected errors: full detail in the log, only a reference for the reader. A 4xx that reaches
 * here (no such page, a method a page does not take) is the request's fault: answered with its own
 * message and not logged as an error, so that the log's errors are the server's.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status < 500) return { message }
  const errorId = crypto.randomUUID()
  console.error(
    JSON.stringify({ level: 'error', errorId, path: event.url.pathname, status, err: String(error) }),
    error instanceof Error ? error.stack : '',
  )
  return { message: 'Internal error', errorId }
}
