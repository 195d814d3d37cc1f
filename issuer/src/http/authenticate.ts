import type { Context } from 'koa'
import { authenticate } from '../services/auth.ts'
import type { IssuerContext, Principal } from '../services/context.ts'

export const SESSION_COOKIE = 'flora_session'

/** The principal of a request: API token (Authorization: Bearer) or the session cookie. */
export async function principalOf(issuer: IssuerContext, ctx: Context): Promise<Principal> {
  const bearer = ctx.get('authorization').match(/^Bearer (.+)$/)?.[1]
  const session = ctx.cookies.get(SESSION_COOKIE)
  return authenticate(issuer, { bearer, session })
}
