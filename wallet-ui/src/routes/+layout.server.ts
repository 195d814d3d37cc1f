import { publicUser } from '$lib/server/session'
import type { LayoutServerLoad } from './$types'

/** The resolved language and the signed-in user (never the service token) reach every page. */
export const load: LayoutServerLoad = ({ locals }) => ({ lang: locals.lang, user: publicUser(locals.session) })
