/**
 * The wallet answers at one origin, its public URL (FLORA_WALLET_PUBLIC_URL). A browser that opened
 * it under another name of the same loopback server (http://127.0.0.1:4400 instead of the printed
 * http://localhost:4400) sends form posts with an Origin that is not the app's, and the origin check
 * (cross-site request forgery) must refuse them. Two remedies, without weakening the check:
 * page loads under a loopback alias are sent to the configured origin, and a refused form post gets
 * a page of ours that says which address to open.
 */

const LOOPBACK_NAMES = new Set(['localhost', '[::1]'])

/** `localhost`, `*.localhost`, 127.0.0.0/8 or [::1]: names that can only mean this machine. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase()
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
}

/** The `Host` header split into hostname and port (port '' when absent); undefined when malformed. */
function parseHost(host: string): { hostname: string; port: string } | undefined {
  const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/.exec(host)
  if (!match) return undefined
  return { hostname: match[1]!.toLowerCase(), port: match[2] ?? '' }
}

const defaultPort = (protocol: string) => (protocol === 'https:' ? '443' : '80')

/**
 * Where a GET/HEAD that arrived under `host` should go instead: the same path and query on the
 * public origin, or undefined to serve it as it is. Only a loopback alias of a loopback public URL on
 * the same port is redirected: both names then reach this very server, so the redirect cannot lead
 * anywhere else (no open redirect: the target is always the configured origin).
 */
export function loopbackAliasRedirect(
  host: string | null,
  publicUrl: string,
  pathAndQuery: string,
): string | undefined {
  if (!host) return undefined
  const configured = new URL(publicUrl)
  const requested = parseHost(host)
  if (!requested) return undefined
  if (requested.hostname === configured.hostname) return undefined
  if (!isLoopbackHostname(configured.hostname) || !isLoopbackHostname(requested.hostname)) return undefined
  if ((requested.port || defaultPort(configured.protocol)) !== (configured.port || defaultPort(configured.protocol)))
    return undefined
  // only a path (never `//other.example`, which a URL parser would read as another host)
  const path = pathAndQuery.startsWith('/') && !pathAndQuery.startsWith('//') ? pathAndQuery : '/'
  return `${configured.origin}${path}`
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']
const CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * The origin check of changing requests (cross-site request forgery), in place of SvelteKit's own
 * (svelte.config.js hands it over to us so that we can answer it with our own page). A POST, PUT,
 * PATCH or DELETE is refused when it names another Origin, whatever its content type: a page
 * elsewhere can send a cookie-carrying fetch with any type, and sign-out or the language switch
 * must not run for it. Without an Origin, only a form content type is refused (as SvelteKit does:
 * a browser names the origin of every form it posts; a tool or script without one forges nothing).
 */
export function isForeignStateChange(request: Request, appOrigin: string): boolean {
  if (!CHANGING_METHODS.has(request.method)) return false
  const origin = request.headers.get('origin')
  if (origin !== null) return origin !== appOrigin
  const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase()
  return FORM_TYPES.includes(type)
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** The page a refused form submission gets: what happened and the address to open instead. */
export function foreignOriginPage(args: {
  lang: string
  title: string
  text: string
  linkText: string
  href: string
}): string {
  return `<!doctype html>
<html lang="${escapeHtml(args.lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(args.title)}</title></head>
<body>
<main>
<h1>${escapeHtml(args.title)}</h1>
<p>${escapeHtml(args.text)}</p>
<p><a href="${escapeHtml(args.href)}">${escapeHtml(args.linkText)}</a></p>
</main>
</body>
</html>
`
}
