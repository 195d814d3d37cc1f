import { failLoad, requireParty } from '$lib/server/guard'
import { call } from '$lib/server/services'
import type { PageServerLoad } from './$types'

/** Administration (issuer admins): the staff accounts of their authority. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const session = requireParty(locals, url, 'authority', ['admin'])
  try {
    const staff = await call<{ items: { id: string; username: string; role: string; disabled: boolean }[] }>('issuer', '/admin/staff', {
      token: session.serviceToken,
    })
    return { staff: staff.items, authorityName: session.authorityName }
  } catch (error) {
    failLoad(error, url)
  }
}
