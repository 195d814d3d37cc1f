import { fail, redirect } from '@sveltejs/kit'
import { t } from '$lib/i18n'
import { caseView, receiveOffer } from '$lib/server/cases'
import { failLoad, holderRefusalMessage, requireParty, serviceMessage } from '$lib/server/guard'
import { qrDataUrl } from '$lib/server/qr'
import type { Actions, PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const session = requireParty(locals, url, 'authority')
  try {
    await caseView(session, params.caseId)
  } catch (error) {
    failLoad(error, url)
  }
  const offer = url.searchParams.get('offer') ?? ''
  return {
    caseId: params.caseId,
    offer,
    qr: offer.startsWith('openid-credential-offer://') ? await qrDataUrl(offer) : null,
  }
}

export const actions = {
  default: async ({ locals, url, request, params }) => {
    const session = requireParty(locals, url, 'authority')
    const form = await request.formData()
    const offer = String(form.get('offer') ?? '').trim()
    const txCode = String(form.get('txCode') ?? '').trim()
    const errors: Record<string, string> = {}
    if (!offer) errors.offer = t(locals.lang, 'errRequired')
    else if (!/^(openid-credential-offer|https?):\/\//.test(offer)) errors.offer = t(locals.lang, 'errPattern')
    if (Object.keys(errors).length) return fail(400, { offer, txCode, errors })
    try {
      await caseView(session, params.caseId)
      await receiveOffer(params.caseId, offer, txCode || undefined)
    } catch (error) {
      // Our own words for every refusal: what an issuer (or anything an offer names) answered is
      // never shown as it is.
      const refusal = holderRefusalMessage(locals.lang, error)
      const invalid = (error as { code?: unknown })?.code === 'ERR_CREDENTIAL_OFFER_INVALID'
      const message = refusal ?? (invalid ? t(locals.lang, 'offerInvalid', { detail: (error as Error).message }) : serviceMessage(locals.lang, error))
      return fail(refusal || invalid ? 400 : 502, {
        offer,
        txCode,
        errors: {},
        error: message,
      })
    }
    redirect(303, `/cases/${params.caseId}?received=1`)
  },
} satisfies Actions
