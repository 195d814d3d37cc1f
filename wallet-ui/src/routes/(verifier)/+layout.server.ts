import { requireParty } from '$lib/server/guard'
import type { LayoutServerLoad } from './$types'

/** The verifier workspace: verifier staff only. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  requireParty(locals, url, 'verifier')
  return {}
}
