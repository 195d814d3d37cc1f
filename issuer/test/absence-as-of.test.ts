import { tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addAuthority,
  api,
  bootIssuer,
  decodeJwt,
  newHolder,
  redeemV1,
  type TestAuthority,
  type TestIssuer,
} from './helpers/harness.ts'

// An absence attestation says an event did not happen up to and including its as-of day
// (milestoneDate). Nobody can attest silence on a day that is not over (a reply can still arrive in
// its remaining hours): recording refuses an as-of day on or after today (UTC, the day the
// credential's issuanceDate states), and signing refuses again unless the issuance day follows it. The issuer's clock is fixed to a known instant that runs on with
// real time, so "today" is 2026-09-01 throughout.

const ORIGIN = Date.parse('2026-09-01T12:00:00Z')
const started = Date.now()
let offset = 0
const clock = () => new Date(ORIGIN + (Date.now() - started) + offset)

const transferAbsence = (milestoneDate: string) => ({
  type: 'TransferAbsenceMilestone',
  claims: { milestoneDate, receivingState: 'FR' },
})

describe.each([
  ['sqlite', tempSqliteDatabase],
  ['postgresql', tempPostgresDatabase],
] as const)('absence attestations and their as-of day (%s)', (_provider, database) => {
  let t: TestIssuer
  let police: TestAuthority
  let bamf: TestAuthority

  beforeAll(async () => {
    t = await bootIssuer({}, { database: await database(), now: clock })
    police = await addAuthority(t, {
      id: 'bpol',
      role: 'FEDERAL_POLICE',
      accreditedTypes: ['TransferAbsenceMilestone', 'TransferExecutedMilestone'],
    })
    bamf = await addAuthority(t, {
      id: 'bamf-dublin',
      role: 'BAMF_DUBLIN_UNIT',
      accreditedTypes: ['DublinReplyAbsenceMilestone'],
    })
  })
  afterAll(async () => {
    offset = 0
    await t?.close()
  })

  async function newCase(authority: TestAuthority) {
    const holder = newHolder()
    const caseId = (await api(t, authority.staffToken, 'POST', '/cases', { holderDid: holder.did })).body
      .id as string
    return { holder, caseId }
  }

  it('refuses to record an absence as of tomorrow, naming the field (400 problem+json)', async () => {
    const { caseId } = await newCase(police)
    const refused = await api(
      t,
      police.staffToken,
      'POST',
      `/cases/${caseId}/milestones`,
      transferAbsence('2026-09-02'),
    )
    expect(refused.status).toBe(400)
    expect(refused.headers.get('content-type')).toContain('application/problem+json')
    expect(refused.body).toMatchObject({ code: 'ERR_CLAIMS_INVALID' })
    expect(refused.body['invalid-params']).toEqual([
      {
        name: '/claims/milestoneDate',
        reason:
          'milestoneDate 2026-09-02 (the day the absence is attested up to) does not lie before the issuance day 2026-09-01',
      },
    ])
  })

  it('refuses to record an absence as of today: the day is not over (review H2)', async () => {
    const { caseId } = await newCase(police)
    const refused = await api(
      t,
      police.staffToken,
      'POST',
      `/cases/${caseId}/milestones`,
      transferAbsence('2026-09-01'),
    )
    expect(refused.status).toBe(400)
    expect(refused.headers.get('content-type')).toContain('application/problem+json')
    expect(refused.body['invalid-params']).toEqual([
      {
        name: '/claims/milestoneDate',
        reason:
          'milestoneDate 2026-09-01 (the day the absence is attested up to) does not lie before the issuance day 2026-09-01',
      },
    ])
  })

  it('refuses the same for a reply absence issued by the Dublin unit', async () => {
    const { caseId } = await newCase(bamf)
    const refused = await api(t, bamf.staffToken, 'POST', `/cases/${caseId}/milestones`, {
      type: 'DublinReplyAbsenceMilestone',
      claims: {
        milestoneDate: '2026-10-01',
        requestType: 'TCR',
        requestingState: 'DE',
        requestedState: 'FR',
        requestReceived: '2026-08-20',
      },
    })
    expect(refused.status).toBe(400)
    expect(refused.body['invalid-params'][0].name).toBe('/claims/milestoneDate')
  })

  it('records and signs an absence as of yesterday; the credential says so', async () => {
    const { holder, caseId } = await newCase(police)
    const recorded = await api(
      t,
      police.staffToken,
      'POST',
      `/cases/${caseId}/milestones`,
      transferAbsence('2026-08-31'),
    )
    expect(recorded.status).toBe(201)
    const issued = await redeemV1(t, recorded.body, holder, clock)
    expect(issued.status).toBe(200)
    const vc = decodeJwt(issued.body.credentials[0].credential).vc
    expect(vc.type).toContain('TransferAbsenceMilestone')
    expect(vc.credentialSubject.milestoneDate).toBe('2026-08-31')
    expect(vc.issuanceDate.slice(0, 10)).toBe('2026-09-01')
  })

  it('lets an event record carry a date after today (the rule concerns absences only)', async () => {
    const { caseId } = await newCase(police)
    const recorded = await api(t, police.staffToken, 'POST', `/cases/${caseId}/milestones`, {
      type: 'TransferExecutedMilestone',
      claims: { milestoneDate: '2026-09-03', receivingState: 'FR' },
    })
    expect(recorded.status).toBe(201)
  })

  it('refuses to sign an offer on its as-of day (an offer recorded under a clock ahead of this one)', async () => {
    const { holder, caseId } = await newCase(police)
    const recorded = await api(
      t,
      police.staffToken,
      'POST',
      `/cases/${caseId}/milestones`,
      transferAbsence('2026-08-31'),
    )
    expect(recorded.status).toBe(201)
    offset = -24 * 3600 * 1000 // the issuer's clock now reads 2026-08-31, the as-of day itself
    try {
      const refused = await redeemV1(t, recorded.body, holder, clock)
      expect(refused.status).toBe(400)
      expect(refused.body.error).toBe('credential_request_denied')
      expect(refused.body.error_description).toContain('milestoneDate 2026-08-31')
      const stored = await api(t, police.staffToken, 'GET', `/milestones/${recorded.body.milestoneId}`)
      expect(stored.body.state).toBe('offered')
    } finally {
      offset = 0
    }
    // The day after the as-of day the same offer is signed.
    const issued = await redeemV1(t, recorded.body, holder, clock)
    expect(issued.status).toBe(200)
  })
})
