import { getMilestone, isMilestoneType } from '@flora/credentials'
import { failLoad, requireParty } from '$lib/server/guard'
import { listCases } from '$lib/server/cases'
import { dublinStates } from '$lib/timeline'
import type { PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url }) => {
  const session = requireParty(locals, url, 'authority')
  const q = (url.searchParams.get('q') ?? '').trim().toLowerCase()
  const authority = url.searchParams.get('authority') ?? ''
  const stage = url.searchParams.get('stage') ?? ''
  const dublin = url.searchParams.get('dublin') ?? ''
  let all: Awaited<ReturnType<typeof listCases>>
  try {
    all = await listCases(session)
  } catch (error) {
    failLoad(error, url)
  }
  const title = (type: string) => (isMilestoneType(type) ? getMilestone(type).title[locals.lang] : type)
  const matches = all.filter((c) => {
    if (authority && !c.authorities.some((a) => a.id === authority)) return false
    if (stage && c.stage !== stage) return false
    if (dublin && c.dublinState !== dublin) return false
    if (!q) return true
    const haystack = [c.id, c.holderDid, c.fileNumber ?? '', ...c.entries.map((e) => `${e.type} ${title(e.type)}`)]
      .join(' ')
      .toLowerCase()
    return haystack.includes(q)
  })
  const authorities = new Map<string, string>()
  for (const c of all) for (const a of c.authorities) authorities.set(a.id, a.name)
  return {
    total: all.length,
    filters: { q: url.searchParams.get('q') ?? '', authority, stage, dublin },
    authorities: [...authorities].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    dublinStates: [...dublinStates],
    cases: matches.map((c) => ({
      id: c.id,
      holderDid: c.holderDid,
      fileNumber: c.fileNumber,
      openedByName: c.openedByName,
      stage: c.stage,
      dublinState: c.dublinState,
      milestones: c.entries.length,
      latest: c.entries.at(-1) ? title(c.entries.at(-1)!.type) : null,
    })),
  }
}
