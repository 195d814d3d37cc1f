import { failLoad, requireParty } from '$lib/server/guard'
import { qrDataUrl } from '$lib/server/qr'
import { requestStatus } from '$lib/server/verifier'
import type { PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const session = requireParty(locals, url, 'verifier')
  try {
    const status = await requestStatus(session, params.requestId)
    const link = url.searchParams.get('link') ?? ''
    const valid = link.startsWith('openid4vp://')
    return { status, link: valid ? link : '', qr: valid ? await qrDataUrl(link) : null }
  } catch (error) {
    failLoad(error, url)
  }
}
