import { requireParty } from '$lib/server/guard'
import type { LayoutServerLoad } from './$types'

/** The authority workspace: issuer staff and admins only. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  requireParty(locals, url, 'authority')
  return {}
}
