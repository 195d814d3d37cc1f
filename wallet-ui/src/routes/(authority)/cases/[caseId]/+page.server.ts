import { getMilestone, isMilestoneType } from '@flora/credentials'
import { fail } from '@sveltejs/kit'
import { t } from '$lib/i18n'
import { caseView, changeStatus, grantCase, refreshProofs } from '$lib/server/cases'
import { failLoad, requireParty, serviceMessage } from '$lib/server/guard'
import { deadlineChart, timelineSummary } from '$lib/timeline'
import type { Actions, PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const session = requireParty(locals, url, 'authority')
  try {
    await refreshProofs(params.caseId)
    const view = await caseView(session, params.caseId)
    const titles = Object.fromEntries(
      view.entries.map((e) => [e.type, isMilestoneType(e.type) ? getMilestone(e.type).title[locals.lang] : e.type]),
    )
    return {
      view,
      titles,
      summary: timelineSummary(view.entries),
      chart: deadlineChart(view.dublin.assessment, view.dublin.asOf),
      ownAuthority: session.authorityId,
      canGrant: view.openedBy === session.authorityId,
    }
  } catch (error) {
    failLoad(error, url)
  }
}

export const actions = {
  status: async ({ locals, url, request }) => {
    const session = requireParty(locals, url, 'authority')
    const form = await request.formData()
    const milestoneId = String(form.get('milestoneId') ?? '')
    const action = String(form.get('action') ?? '')
    if (!milestoneId || !['revoke', 'suspend', 'unsuspend'].includes(action)) return fail(400, { statusError: 'bad request' })
    try {
      await changeStatus(session, milestoneId, action as 'revoke' | 'suspend' | 'unsuspend')
    } catch (error) {
      return fail(502, { statusError: serviceMessage(locals.lang, error) })
    }
    return { statusChanged: true }
  },
  grant: async ({ locals, url, request, params }) => {
    const session = requireParty(locals, url, 'authority')
    const authorityId = String((await request.formData()).get('authorityId') ?? '').trim()
    if (!authorityId) return fail(400, { grantError: t(locals.lang, 'errRequired'), authorityId })
    try {
      await grantCase(session, params.caseId, authorityId)
    } catch (error) {
      return fail(400, { grantError: serviceMessage(locals.lang, error), authorityId })
    }
    return { granted: true }
  },
  proofs: async ({ locals, url, params }) => {
    requireParty(locals, url, 'authority')
    return { proofs: await refreshProofs(params.caseId) }
  },
} satisfies Actions
