import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addAuthority,
  api,
  bootIssuer,
  newHolder,
  type TestAuthority,
  type TestIssuer,
} from './helpers/harness.ts'

// GET /cases: an authority lists the cases it holds a grant for — its own and those granted to it —
// and nothing else, page by page.
let t: TestIssuer
let lds: TestAuthority
let dublin: TestAuthority
let police: TestAuthority
const opened: string[] = []

beforeAll(async () => {
  t = await bootIssuer()
  lds = await addAuthority(t, {
    id: 'lds',
    role: 'RECEPTION_AUTHORITY',
    accreditedTypes: ['ArrivalCertificateMilestone'],
  })
  dublin = await addAuthority(t, {
    id: 'bamf-dublin',
    role: 'BAMF_DUBLIN_UNIT',
    accreditedTypes: ['DublinRequestMilestone'],
  })
  police = await addAuthority(t, { id: 'bpol', role: 'FEDERAL_POLICE', accreditedTypes: [] })
  for (let i = 0; i < 5; i++) {
    const response = await api(t, lds.staffToken, 'POST', '/cases', {
      holderDid: newHolder().did,
      fileNumber: `SN-${i}`,
    })
    expect(response.status).toBe(201)
    opened.push(response.body.id)
  }
  expect(
    (await api(t, lds.staffToken, 'POST', `/cases/${opened[1]}/grants`, { authorityId: 'bamf-dublin' }))
      .status,
  ).toBe(201)
}, 60_000)
afterAll(async () => {
  await t?.close()
})

describe('GET /cases', () => {
  it('lists the opening authority its cases, newest first, with its file numbers', async () => {
    const response = await api(t, lds.staffToken, 'GET', '/cases')
    expect(response.status).toBe(200)
    const listed = response.body.cases as { id: string; grantedAt: string; fileNumber?: string }[]
    expect(listed.map((c) => c.id).sort()).toEqual([...opened].sort())
    const times = listed.map((c) => Date.parse(c.grantedAt))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(listed.find((c) => c.id === opened[4])).toMatchObject({ openedBy: 'lds', fileNumber: 'SN-4' })
    expect(response.body.next).toBeUndefined()
  })

  it('lists a granted authority only the granted case, without the opener’s file number', async () => {
    const response = await api(t, dublin.staffToken, 'GET', '/cases')
    expect(response.body.cases).toHaveLength(1)
    expect(response.body.cases[0]).toMatchObject({ id: opened[1], openedBy: 'lds' })
    expect(response.body.cases[0].fileNumber).toBeUndefined()
    expect((await api(t, police.staffToken, 'GET', '/cases')).body.cases).toEqual([])
  })

  it('pages with a cursor and refuses a forged one as problem+json', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await api(t, lds.staffToken, 'GET', `/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.status).toBe(200)
      expect(page.body.cases.length).toBeLessThanOrEqual(2)
      seen.push(...page.body.cases.map((c: { id: string }) => c.id))
      cursor = page.body.next
    } while (cursor)
    // every case exactly once across the pages
    expect([...seen].sort()).toEqual([...opened].sort())
    const forged = await api(t, lds.staffToken, 'GET', '/cases?cursor=not-a-cursor')
    expect(forged.status).toBe(400)
    expect(forged.headers.get('content-type')).toContain('application/problem+json')
    expect((await api(t, lds.staffToken, 'GET', '/cases?limit=0')).status).toBe(400)
    expect((await api(t, undefined, 'GET', '/cases')).status).toBe(401)
  })

  it('is in the audit log without personal data', async () => {
    const audit = await api(t, lds.adminToken, 'GET', '/admin/audit?limit=500')
    const listed = audit.body.items.filter((e: { action: string }) => e.action === 'case.list')
    expect(listed.length).toBeGreaterThan(0)
    expect(JSON.stringify(listed)).not.toContain('did:key')
    expect(JSON.stringify(listed)).not.toContain('SN-')
  })
})
