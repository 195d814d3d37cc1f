import { getMilestone, isMilestoneType } from '@flora/credentials'
import { failLoad, requireParty } from '$lib/server/guard'
import { ServiceError } from '$lib/server/services'
import { readReport } from '$lib/server/verifier'
import { dublinSection } from '$lib/dublin-report'
import { deadlineChart } from '$lib/timeline'
import type { PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const session = requireParty(locals, url, 'verifier')
  if (!/^[0-9a-f-]{36}$/.test(params.reportId)) failLoad(new ServiceError('verifier', 'not-found', 404, 'no such report'), url)
  try {
    const report = await readReport(session, params.reportId)
    const dublin = dublinSection(report)
    // The chart marks the day the report assessed as of (today when the report states none).
    const reference = dublin?.asOf ?? new Date().toISOString().slice(0, 10)
    return {
      report,
      dublin,
      titles: Object.fromEntries(
        report.credentials.map((c) => [c.milestoneType ?? '', c.milestoneType && isMilestoneType(c.milestoneType) ? getMilestone(c.milestoneType).title[locals.lang] : (c.milestoneType ?? '–')]),
      ),
      chart: deadlineChart(report.assessment, reference),
      chartMarker: dublin?.asOf ? ('chartAsOf' as const) : ('chartToday' as const),
    }
  } catch (error) {
    failLoad(error, url)
  }
}
