import type { Middleware } from 'koa'
import { ProxyLoop } from '../errors.ts'

/**
 * The header the ledger puts on every request it sends to an issuer proxy. A request that arrives
 * carrying it was sent by a ledger on an issuer's behalf and led back into a ledger: answering it
 * would let one GET start a chain of proxied requests, so it is refused before any route runs.
 */
export const HOP_HEADER = 'flora-ledger-hop'

export function refuseProxiedRequests(): Middleware {
  return async (ctx, next) => {
    if (HOP_HEADER in ctx.headers)
      throw new ProxyLoop('the request was sent by a ledger through an issuer proxy (proxy loop)')
    await next()
  }
}
