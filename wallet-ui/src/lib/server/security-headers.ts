/**
 * Headers every response of the wallet carries, pages, JSON endpoints and static files alike
 * (scripts/start.ts sets them before SvelteKit's handler runs; hooks.server.ts sets them again on
 * what SvelteKit renders). Pages replace the Content-Security-Policy below with SvelteKit's own
 * (svelte.config.js: self only, hashed bootstrap); every other response gets the strictest one: it
 * may load nothing and be framed by nobody.
 */
export function securityHeaders(publicUrl: string): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    // for browsers that predate frame-ancestors
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-permitted-cross-domain-policies': 'none',
    // only where users reach the wallet over https (behind a TLS proxy); on http it would be ignored
    ...(publicUrl.startsWith('https://') ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  }
}
