import { redirect } from '@sveltejs/kit'
import { clearSessionCookie, signOut } from '$lib/server/session'
import type { RequestHandler } from './$types'

/** Sign-out: a plain form post; ends the wallet session and the service session behind it. */
export const POST: RequestHandler = async ({ locals, cookies }) => {
  if (locals.session) await signOut(locals.session)
  clearSessionCookie(cookies)
  redirect(303, '/')
}
