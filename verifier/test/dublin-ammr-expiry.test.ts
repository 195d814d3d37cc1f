import { type TestDatabase, tempPostgresDatabase } from '@flora/db/testing'
import { createPresentationJwt } from '@flora/ebsi-connector/holder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { hashOf, TestWorld } from './support/world.ts'

// Issue 19: under the AMMR the shift of responsibility after the transfer period (Art. 46(2)) must
// be reached from credentials alone, as under Dublin III. The AMMR applies to applications
// registered on or after 2026-06-12, so the earliest AMMR transfer deadline lies in December 2026
// and an absence attestation can only be signed the day after its as-of day: the pilot scenario
// cannot run before then. Here the verifier's injectable clock stands on 2027-03-01 (Paris), and
// every credential is signed with real keys by the test world's accredited German Dublin authority,
// its iat / nbf / issuanceDate on the day it would really have been issued (an absence the day
// after its as-of day). Every expected date below is computed by hand, never by the engine.
//
// The case: an application registered in Germany on Mon 2026-06-15 (AMMR: on or after the cut-off
// 2026-06-12); Germany's request to France sent on Mon 2026-06-22, received the same day according
// to the DubliNet acknowledgement.
//
// Take charge (Art. 39–40): request deadline 2 months from registration (Art. 39(1)): 2026-08-15, a
// Saturday, so (Art. 75(d), Germany acting) Mon 2026-08-17; the request is in time. Reply period 1
// month from receipt (Art. 40(1)) = Wed 2026-07-22. France accepts explicitly on Wed 2026-07-01. Transfer period 6 months from the acceptance (Art. 46(1)):
// 2026-07-01 + 6 months = Fri 2027-01-01, New Year's Day, a nationwide German holiday; the transfer
// is Germany's act, so Germany's calendar applies (Art. 75(d); its Land is unknown, so only
// nationwide holidays), and the period ends on the next working day: Sat 2027-01-02 and Sun
// 2027-01-03 are no working days, so Mon 2027-01-04. Responsibility passes to Germany on 2027-01-05.
//
// Take back notification (Art. 41): Eurodac hit (category 1) received Tue 2026-06-16; the
// notification must go within 2 weeks of the hit (Art. 41(1)) = 2026-06-30, sent 2026-06-22 in
// time. France must confirm receipt within 2 weeks of receipt (Art. 41(3)) = Mon 2026-07-06, no
// French holiday, a working day (no roll-forward); silence makes receipt deemed confirmed (Art. 41(4)) from
// 2026-07-07. The transfer period runs from the last day of the confirmation period (the engine's
// default anchor for a deemed acceptance): 2026-07-06 + 6 months = Wed 2027-01-06, a working day
// under the nationwide German calendar (Epiphany is a holiday only in some Länder). Responsibility
// passes to Germany on 2027-01-07.
const CLOCK = Date.parse('2027-03-01T10:00:00Z') // 11:00 in Paris: the verifier's today is 2027-03-01
const TCR_DEADLINE = '2027-01-04'
const TBN_DEADLINE = '2027-01-06'
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
/** A credential signed at 10:00 UTC on a given day (an absence: the day after its as-of day). */
const on = (day: string) => new Date(`${day}T10:00:00Z`)

interface Item {
  type: string
  claims: Record<string, unknown>
  issuedOn: string
}

const registered: Item = { type: 'ApplicationRegisteredMilestone', claims: { milestoneDate: '2026-06-15' }, issuedOn: '2026-06-15' }
const request = (requestType: 'TCR' | 'TBN'): Item => ({
  type: 'DublinRequestMilestone',
  claims: { milestoneDate: '2026-06-22', requestType, requestingState: 'DE', requestedState: 'FR', requestReceived: '2026-06-22' },
  issuedOn: '2026-06-22',
})
const acceptance: Item = { type: 'DublinReplyMilestone', claims: { milestoneDate: '2026-07-01', replyType: 'acceptance' }, issuedOn: '2026-07-01' }
const eurodacHit: Item = { type: 'EurodacHitMilestone', claims: { milestoneDate: '2026-06-16', category: 1, searchCategory: 1 }, issuedOn: '2026-06-16' }
const replyAbsence = (through: string): Item => ({
  type: 'DublinReplyAbsenceMilestone',
  claims: { milestoneDate: through, requestType: 'TBN', requestingState: 'DE', requestedState: 'FR', requestReceived: '2026-06-22' },
  issuedOn: dayAfter(through),
})
/** No transfer, no extension notified and no suspensive effect, each through `through`. */
const transferAbsences = (through: string, { extension = true } = {}): Item[] => [
  { type: 'TransferAbsenceMilestone', claims: { milestoneDate: through, receivingState: 'FR' }, issuedOn: dayAfter(through) },
  ...(extension
    ? [{ type: 'TransferExtensionAbsenceMilestone', claims: { milestoneDate: through, requestingState: 'DE', requestedState: 'FR' }, issuedOn: dayAfter(through) }]
    : []),
  { type: 'SuspensiveEffectAbsenceMilestone', claims: { milestoneDate: through }, issuedOn: dayAfter(through) },
]

let world: TestWorld

beforeAll(async () => {
  world = await new TestWorld().start()
})
afterAll(async () => {
  await world?.stop()
})

describe.each(['sqlite', 'postgresql'] as const)('AMMR transfer deadline expired, from credentials alone (%s)', (provider) => {
  let database: TestDatabase | undefined
  let fr: VerifierUnderTest // the requested state's verifier (FLORA_VERIFIER_STATE=FR, the default)

  beforeAll(async () => {
    database = provider === 'postgresql' ? await tempPostgresDatabase() : undefined
    fr = await startVerifier(
      world,
      { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0', ...(database ? { FLORA_VERIFIER_DATABASE_URL: database.url } : {}) },
      undefined,
      { now: () => CLOCK },
    )
  })
  afterAll(async () => {
    await fr?.close()
    await database?.dispose()
  })

  /** The case chained for one holder, anchored after its last credential, presented at the verifier's clock. */
  async function present(items: Item[]): Promise<string> {
    const holder = world.holder()
    const jwts: string[] = []
    let previous: string | null = null
    for (const item of items) {
      const { jwt } = await world.issue({ type: item.type, holder: holder.did, previous, claims: item.claims, issuedAt: on(item.issuedOn) })
      jwts.push(jwt)
      previous = hashOf(jwt)
    }
    const last = items.map((i) => i.issuedOn).sort().at(-1)!
    const proofs = world.anchor(jwts, new Date(`${last}T12:00:00Z`))
    return createPresentationJwt({
      holder,
      credentials: jwts,
      anchoringProofs: proofs,
      audience: fr.services.identity.did,
      nonce: await fr.nonce(),
      now: new Date(CLOCK),
    })
  }

  async function verify(token: string): Promise<VerificationReport> {
    const response = await fr.verify(token)
    expect(response.status, await response.clone().text()).toBe(201)
    const report = (await response.json()) as VerificationReport
    expect(report.verdict, JSON.stringify(report.credentials.map((c) => c.failingStep))).toBe('valid')
    // the verifier's today, not a day given by the caller
    expect(report.dublin?.asOf).toBe('2027-03-01')
    return report
  }

  const attested = (report: VerificationReport) =>
    report.facts
      .filter((f) => f.source === 'absence-attestation')
      .map((f) => ({ fact: f.fact, absentThrough: f.absentThrough, credentials: f.credentials }))
      .sort((a, b) => a.fact.localeCompare(b.fact))

  it('take charge, explicit acceptance, no transfer, extension or suspensive effect through the deadline: responsibility passed to Germany', async () => {
    const through = dayAfter(TCR_DEADLINE) // 2027-01-05, signed on 2027-01-06
    const report = await verify(await present([registered, request('TCR'), acceptance, ...transferAbsences(through)]))
    expect(report.assessment).toMatchObject({
      status: 'TRANSFER_DEADLINE_EXPIRED',
      acceptanceType: 'explicit',
      transferDeadline: TCR_DEADLINE,
      responsibleState: 'DE',
      requestingStateResponsibleFrom: '2027-01-05',
    })
    expect(report.assessment).toMatchObject({ ruleSet: 'AMMR', requestDeadline: '2026-08-17', requestTimely: true, replyDeadline: '2026-07-22' })
    expect(report.assessment?.transferDeadlineIsLowerBound ?? false).toBe(false)
    // the roll-forward over New Year's Day and the weekend is stated
    const transfer = report.assessment?.explanation.find((e) => e.subject === 'transferDeadline')
    expect(transfer?.basis).toContain('AMMR Art. 46(1)')
    expect(transfer?.note).toContain('period ends on 2027-01-01')
    expect(transfer?.note).toContain('2027-01-04 (AMMR Art. 75(d), acting state DE)')
    expect(report.dublin?.missingFacts ?? []).toEqual([])
    // the three absences are the sources, each with the day up to which it is established
    expect(attested(report)).toEqual([
      { fact: '/appeal', absentThrough: '2027-01-05', credentials: [5] },
      { fact: '/extensionNotified', absentThrough: '2027-01-05', credentials: [4] },
      { fact: '/transferExecuted', absentThrough: '2027-01-05', credentials: [3] },
    ])
  })

  it('the same without the extension absence: the deadline is only "at the earliest", nothing expired', async () => {
    const through = dayAfter(TCR_DEADLINE)
    const report = await verify(await present([registered, request('TCR'), acceptance, ...transferAbsences(through, { extension: false })]))
    expect(report.assessment?.status).toBe('INSUFFICIENT_EVIDENCE')
    expect(report.assessment?.requestingStateResponsibleFrom).toBeUndefined()
    expect(report.assessment).toMatchObject({ transferDeadline: TCR_DEADLINE, transferDeadlineIsLowerBound: true })
    expect(report.dublin?.missingFacts).toContain('extensionNotified')
    expect(attested(report).map((f) => f.fact)).toEqual(['/appeal', '/transferExecuted'])
  })

  it('take back notification, silence: receipt deemed confirmed (Art. 41(4)), then the transfer period expired', async () => {
    const through = dayAfter(TBN_DEADLINE) // 2027-01-07, signed on 2027-01-08
    const report = await verify(
      await present([registered, eurodacHit, request('TBN'), replyAbsence('2026-07-08'), ...transferAbsences(through)]),
    )
    expect(report.assessment).toMatchObject({
      status: 'TRANSFER_DEADLINE_EXPIRED',
      acceptanceType: 'implicit',
      deemedConfirmationOfReceipt: true,
      deemedAcceptedFrom: '2026-07-07',
      transferDeadline: TBN_DEADLINE,
      responsibleState: 'DE',
      requestingStateResponsibleFrom: '2027-01-07',
    })
    expect(report.assessment).toMatchObject({ ruleSet: 'AMMR', requestDeadline: '2026-06-30', replyDeadline: '2026-07-06', transferPeriodStart: '2026-07-06' })
    // the explanation names a deemed confirmation of receipt, not an acceptance
    const deemed = report.assessment?.explanation.find((e) => e.subject === 'deemedAcceptedFrom')
    expect(deemed?.basis).toContain('AMMR Art. 41(4)')
    expect(deemed?.note).toContain('deemed confirmation of receipt')
    expect(deemed?.note).toContain('not an acceptance')
    expect(attested(report)).toEqual([
      { fact: '/appeal', absentThrough: '2027-01-07', credentials: [6] },
      { fact: '/extensionNotified', absentThrough: '2027-01-07', credentials: [5] },
      { fact: '/reply', absentThrough: '2026-07-08', credentials: [3] },
      { fact: '/transferExecuted', absentThrough: '2027-01-07', credentials: [4] },
    ])
  })
})
