import { type TestDatabase, tempPostgresDatabase } from '@flora/db/testing'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { ALL_TYPES, type Entity, hashOf, TestWorld } from './support/world.ts'

// asOf, declared facts, absence attestations and complete chains (docs/DUBLIN-ABSENCE.md) through
// the verifier's HTTP API, with credentials signed by the test world's accredited authority.
//
// The synthetic case: Germany's take back request to France, sent and received on 2026-02-03 after
// a category 1 Eurodac hit; the reply period is two weeks (Art. 25(1) Reg. 604/2013), so the last
// day for a reply is 2026-02-17 and silence makes the request accepted from 2026-02-18.
const REQUEST_CASE = ['AsylumRequestReferralMilestone', 'AsylumRequestRecordReachedBamfMilestone', 'EurodacHitMilestone', 'DublinRequestMilestone']
const replyAbsence = (milestoneDate: string) => ({
  milestoneDate,
  requestType: 'TBR',
  requestingState: 'DE',
  requestedState: 'FR',
  requestReceived: '2026-02-03',
})

let world: TestWorld
let fr: VerifierUnderTest // the requested state's verifier (FLORA_VERIFIER_STATE=FR, the default)

beforeAll(async () => {
  world = await new TestWorld().start()
  fr = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
})
afterAll(async () => {
  await fr?.close()
  await world?.stop()
})

/** A credential appended to the case: its claims, issuance (`iat`), validFrom (`nbf`, issuanceDate) and issuer. */
interface Extra {
  type: string
  claims?: Record<string, unknown>
  issuedAt?: Date
  validFrom?: Date
  issuer?: Entity
}

/** A chained case for one holder, anchored, presented to `verifier` (extra credentials appended). */
async function presentCase(
  verifier: VerifierUnderTest,
  extra: Extra[] = [],
  types = REQUEST_CASE,
) {
  const holder = world.holder()
  const jwts: string[] = []
  let previous: string | null = null
  for (const item of [...types.map((type) => ({ type })), ...extra] as Extra[]) {
    const { jwt } = await world.issue({
      type: item.type,
      holder: holder.did,
      previous,
      ...(item.claims ? { claims: item.claims } : {}),
      ...(item.issuedAt ? { issuedAt: item.issuedAt } : {}),
      ...(item.validFrom ? { validFrom: item.validFrom } : {}),
      ...(item.issuer ? { issuer: item.issuer } : {}),
    })
    jwts.push(jwt)
    previous = hashOf(jwt)
  }
  const proofs = world.anchor(jwts)
  return world.presentation(holder, jwts, proofs, verifier.services.identity.did, await verifier.nonce())
}

async function verify(verifier: VerifierUnderTest, token: string, extra: Record<string, unknown> = {}) {
  const response = await verifier.verify(token, extra)
  expect(response.status, await response.clone().text()).toBe(201)
  return (await response.json()) as VerificationReport
}

const dublinStep = (report: VerificationReport) => report.presentationSteps.find((s) => s.step === 'dublin')!

async function html(verifier: VerifierUnderTest, report: VerificationReport, lang: 'fr' | 'de' | 'en') {
  const response = await fetch(`${verifier.url}/reports/${report.id}?format=html&lang=${lang}`, {
    headers: { authorization: `Bearer ${verifier.token}` },
  })
  return response.text()
}

describe('asOf', () => {
  it('is today in the verifier’s time zone by default: at 23:30 UTC it is already the next day in Paris', async () => {
    // the next 23:30 UTC from now: the credentials, signed a minute ago, are valid then
    const clock = new Date()
    clock.setUTCHours(23, 30, 0, 0)
    if (clock.getTime() <= Date.now()) clock.setUTCDate(clock.getUTCDate() + 1)
    const utcDay = clock.toISOString().slice(0, 10)
    const parisDay = new Date(clock.getTime() + 86_400_000).toISOString().slice(0, 10)
    const late = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' }, undefined, { now: () => clock.getTime() })
    try {
      const { jwt } = await world.issue({ type: 'DublinRequestMilestone', holder: world.holder().did })
      const [proof] = world.anchor([jwt])
      const report = await verify(late, jwt, { anchoringProof: proof })
      expect(report.checkedAt.slice(0, 16)).toBe(`${utcDay}T23:30`)
      expect(report.dublin?.asOf).toBe(parisDay)
      expect(report.dublin?.timeZone).toBe('Europe/Paris')
      expect(await html(late, report, 'en')).toContain(`As of: <strong>${parisDay}</strong>`)
      // the Paris day is today for the verifier, the day after it is the future
      expect((await verify(late, jwt, { anchoringProof: proof, asOf: parisDay })).dublin?.asOf).toBe(parisDay)
      const future = new Date(clock.getTime() + 2 * 86_400_000).toISOString().slice(0, 10)
      const refused = await late.verify(jwt, { anchoringProof: proof, asOf: future })
      expect(refused.status).toBe(400)
      expect(refused.headers.get('content-type')).toContain('application/problem+json')
      expect(((await refused.json()) as { detail: string }).detail).toContain('/asOf')
    } finally {
      await late.close()
    }
  })

  it('an explicit earlier day is assessed as of that day and stated in the report', async () => {
    // nothing said about the reply: unknown, never read as "no reply"
    const unknown = await verify(fr, await presentCase(fr), { asOf: '2026-02-10' })
    expect(unknown.assessment?.status).toBe('INSUFFICIENT_EVIDENCE')
    expect(unknown.dublin?.missingFacts).toEqual(expect.arrayContaining([expect.stringContaining('reply')]))
    // France (requested) declares it has not replied: on 2026-02-10 the reply period still runs
    const report = await verify(fr, await presentCase(fr), { asOf: '2026-02-10', declaredFacts: [{ fact: 'reply', value: null }] })
    expect(report.verdict).toBe('valid')
    expect(report.dublin).toMatchObject({ asOf: '2026-02-10', verifierState: 'FR', verifierRole: 'requested' })
    expect(report.assessment?.status).toBe('AWAITING_REPLY')
    expect(report.dublin?.deadlines).toEqual(expect.arrayContaining([{ name: 'replyDeadline', date: '2026-02-17' }]))
    for (const [lang, label] of [
      ['fr', 'Date de référence'],
      ['de', 'Stichtag'],
      ['en', 'As of'],
    ] as const)
      expect(await html(fr, report, lang)).toContain(`${label}: <strong>2026-02-10</strong>`)
  })

  it('refuses a day that does not exist, or that is not a day, with problem+json naming asOf', async () => {
    for (const asOf of ['2026-02-30', '2026-13-01', '10.02.2026', '', 20260210]) {
      const response = await fr.verify('a.b.c', { asOf })
      expect(response.status, String(asOf)).toBe(400)
      expect(response.headers.get('content-type')).toContain('application/problem+json')
      const problem = (await response.json()) as { 'invalid-params': { name: string }[] }
      expect(problem['invalid-params'].map((p) => p.name)).toContain('/asOf')
    }
  })
})

describe('declared facts (the verifier’s own state’s acts)', () => {
  it('a requested state’s declared silence settles the reply: implicit acceptance, the fact shown as declared', async () => {
    const token = await presentCase(fr)
    const undeclared = await verify(fr, token, { asOf: '2026-03-01' })
    expect(undeclared.assessment?.acceptanceType ?? null).toBeNull()
    expect(undeclared.dublin?.missingFacts).toEqual(expect.arrayContaining([expect.stringContaining('reply')]))
    const declared = await verify(fr, await presentCase(fr), {
      asOf: '2026-03-01',
      declaredFacts: [{ fact: 'reply', value: null }],
    })
    expect(dublinStep(declared).outcome).toBe('passed')
    expect(declared.assessment).toMatchObject({ acceptanceType: 'implicit', deemedAcceptedFrom: '2026-02-18' })
    const fact = declared.facts.find((f) => f.source === 'declared-by-verifier')
    expect(fact).toMatchObject({ fact: expect.stringContaining('/reply'), credentials: [] })
    expect(declared.dublin?.declaredFacts).toEqual([{ fact: 'reply', value: null }])
    expect(await html(fr, declared, 'en')).toContain('declared by the verifier (FR)')
    expect(await html(fr, declared, 'fr')).toContain('déclaré par le vérificateur (FR)')
    expect(await html(fr, declared, 'de')).toContain('von der Prüfstelle erklärt (FR)')
  })

  it('a declared reply up to a day before the deadline leaves the request awaiting a reply as of that day', async () => {
    const report = await verify(fr, await presentCase(fr), {
      asOf: '2026-03-01',
      declaredFacts: [{ fact: 'reply', value: { notBy: '2026-02-12' } }],
    })
    expect(report.assessment?.status).toBe('AWAITING_REPLY')
    expect(report.dublin?.statusAsOf).toBe('2026-02-12')
  })

  it('a declaration for a role the verifier’s state does not hold makes the Dublin step not established', async () => {
    // France is the requested state: the transfer is Germany's act
    const report = await verify(fr, await presentCase(fr), {
      asOf: '2026-03-01',
      declaredFacts: [{ fact: 'transferExecuted', value: null }],
    })
    expect(report.verdict).toBe('valid')
    expect(dublinStep(report)).toMatchObject({
      outcome: 'not-established',
      reason: 'declaration-outside-role',
      details: { verifierState: 'FR', verifierRole: 'requested', refused: ['transferExecuted'] },
    })
    expect(report.assessment).toBeUndefined()
    // a state that is no party of the case may declare nothing
    const italy = await startVerifier(world, { FLORA_VERIFIER_STATE: 'IT', FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
    try {
      const third = await verify(italy, await presentCase(italy), { asOf: '2026-03-01', declaredFacts: [{ fact: 'reply', value: null }] })
      expect(dublinStep(third)).toMatchObject({ outcome: 'not-established', reason: 'declaration-outside-role', details: { verifierRole: null } })
    } finally {
      await italy.close()
    }
  })

  it('the requesting state may declare its own acts; a declaration against a credential recording the event is a conflict', async () => {
    const germany = await startVerifier(world, { FLORA_VERIFIER_STATE: 'DE', FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
    try {
      const report = await verify(germany, await presentCase(germany), {
        asOf: '2026-03-01',
        declaredFacts: [
          { fact: 'reply', value: null },
          { fact: 'transferExecuted', value: null },
        ],
      })
      expect(report.dublin).toMatchObject({ verifierState: 'DE', verifierRole: 'requesting' })
      expect(dublinStep(report).outcome).toBe('passed')
      expect(report.facts.filter((f) => f.source === 'declared-by-verifier').map((f) => f.fact).sort()).toEqual(['/reply', '/transferExecuted'])
    } finally {
      await germany.close()
    }
    // France declares no reply, but a credential records France's acceptance
    const contradicted = await verify(fr, await presentCase(fr, [{ type: 'DublinReplyMilestone' }]), {
      asOf: '2026-03-01',
      declaredFacts: [{ fact: 'reply', value: null }],
    })
    expect(dublinStep(contradicted)).toMatchObject({
      outcome: 'not-established',
      reason: 'facts-conflict',
      details: { conflicts: [expect.objectContaining({ fact: '/reply', reason: 'declared-contradicts-credential' })] },
    })
  })

  it('refuses declarations it cannot read with problem+json naming the member', async () => {
    const cases: [unknown, string][] = [
      [[{ fact: 'requestSent', value: '2026-02-03' }], '/declaredFacts/0/fact'],
      [[{ fact: 'reply', value: { notBy: '2026-02-31' } }], '/declaredFacts/0/value/notBy'],
      [[{ fact: 'reply', value: 'silence' }], '/declaredFacts/0/value'],
      [[{ fact: 'reply' }], '/declaredFacts/0/value'],
      [[{ fact: 'reply', value: null, by: 'me' }], '/declaredFacts/0'],
      [[{ fact: 'reply', value: null }, { fact: 'reply', value: null }], '/declaredFacts/1/fact'],
      [{ fact: 'reply', value: null }, '/declaredFacts'],
    ]
    for (const [declaredFacts, name] of cases) {
      const response = await fr.verify('a.b.c', { declaredFacts })
      expect(response.status, JSON.stringify(declaredFacts)).toBe(400)
      const problem = (await response.json()) as { 'invalid-params': { name: string }[] }
      expect(problem['invalid-params'].map((p) => p.name), JSON.stringify(declaredFacts)).toContain(name)
    }
    // a declared day after asOf: a declaration cannot know the future either
    const late = await fr.verify('a.b.c', { asOf: '2026-02-10', declaredFacts: [{ fact: 'reply', value: { notBy: '2026-02-12' } }] })
    expect(late.status).toBe(400)
    expect(((await late.json()) as { detail: string }).detail).toContain('/declaredFacts/0/value')
  })
})

describe('absence attestations', () => {
  it('the requesting state’s attested silence past the deadline is an implicit acceptance; the report says up to which day', async () => {
    const token = await presentCase(fr, [{ type: 'DublinReplyAbsenceMilestone', claims: replyAbsence('2026-02-20') }])
    const report = await verify(fr, token, { asOf: '2026-03-01' })
    expect(report.verdict).toBe('valid')
    expect(report.assessment).toMatchObject({ acceptanceType: 'implicit', deemedAcceptedFrom: '2026-02-18' })
    const fact = report.facts.find((f) => f.source === 'absence-attestation')
    expect(fact).toMatchObject({ fact: expect.stringContaining('/reply'), absentThrough: '2026-02-20', credentials: [4], attestedBy: [world.ti.did] })
    expect(await html(fr, report, 'en')).toContain(`absence attested by ${world.ti.did} up to 2026-02-20`)
  })

  it('refuses an absence credential whose as-of day lies after its issuance day', async () => {
    const issuedAt = new Date(Date.now() - 2 * 86_400_000)
    const asOfAfterIssuance = new Date(issuedAt.getTime() + 86_400_000).toISOString().slice(0, 10)
    const token = await presentCase(fr, [{ type: 'DublinReplyAbsenceMilestone', claims: replyAbsence(asOfAfterIssuance), issuedAt }])
    const report = await verify(fr, token)
    expect(report.verdict).toBe('invalid')
    const absence = report.credentials[4]!
    expect(absence.failingStep).toBe('validity-window')
    expect(absence.steps.find((s) => s.step === 'validity-window')).toMatchObject({
      outcome: 'failed',
      reason: 'absence-as-of-after-issuance',
      details: { message: expect.stringContaining(asOfAfterIssuance) },
    })
    // its facts are not used
    expect(report.facts.some((f) => f.source === 'absence-attestation')).toBe(false)
  })
})

describe('who may attest an absence (only the requesting state’s authorities)', () => {
  const ITA = 'https://publications.europa.eu/resource/authority/atu/ITA'
  const FRA = 'https://publications.europa.eu/resource/authority/atu/FRA'
  const absenceTypes = [
    'DublinReplyAbsenceMilestone',
    'DublinReexaminationReplyAbsenceMilestone',
    'TransferExtensionAbsenceMilestone',
    'SuspensiveEffectAbsenceMilestone',
    'TransferAbsenceMilestone',
  ]
  let italianUnit: Entity // a foreign Dublin unit accredited for Italy
  let frenchAuthority: Entity // an authority of the requested state
  let unbound: Entity // accredited with no jurisdiction

  beforeAll(async () => {
    // each under a TAO of its own state (a TAO cannot accredit beyond its jurisdiction)
    italianUnit = await world.accreditTi(ALL_TYPES, ITA, await world.accreditTao(ITA))
    frenchAuthority = await world.accreditTi(absenceTypes, FRA, await world.accreditTao(FRA))
    unbound = await world.accreditTi(absenceTypes, null, await world.accreditTao(null))
  })

  const unusedOf = (report: VerificationReport) => report.dublin?.unusedAttestations

  it('an Italian Dublin unit’s “no reply” in Germany’s request to France is not used: no deemed acceptance', async () => {
    const token = await presentCase(fr, [{ type: 'DublinReplyAbsenceMilestone', claims: replyAbsence('2026-02-20'), issuer: italianUnit }])
    const report = await verify(fr, token, { asOf: '2026-03-01' })
    // the credential itself is genuine: signed, accredited (for Italy), in force
    expect(report.verdict).toBe('valid')
    expect(report.credentials[4]!.steps.find((s) => s.step === 'accreditation')?.outcome).toBe('passed')
    expect(report.assessment?.acceptanceType ?? null).toBeNull()
    expect(report.assessment?.deemedAcceptedFrom ?? null).toBeNull()
    expect(report.assessment?.status).toBe('INSUFFICIENT_EVIDENCE')
    expect(report.dublin?.missingFacts).toEqual(expect.arrayContaining([expect.stringContaining('reply')]))
    expect(report.facts.some((f) => f.source === 'absence-attestation' || f.credentials.includes(4))).toBe(false)
    const unused = { credential: 4, type: 'DublinReplyAbsenceMilestone', issuerState: 'IT', requestingState: 'DE', reason: 'issuer-not-of-requesting-state' }
    expect(unusedOf(report)).toEqual([unused])
    expect(dublinStep(report)).toMatchObject({ outcome: 'passed', details: { unusedAttestations: [unused] } })
    // the HTML report lists it with its issuer and the reason, in each language
    for (const [lang, heading, reason] of [
      ['en', 'Absence attestations not used', 'the issuer is an authority of another state than the requesting state'],
      ['fr', 'Attestations d’absence non utilisées', 'l&#39;émetteur est une autorité d&#39;un autre État que l&#39;État requérant'],
      ['de', 'Nicht verwendete Bescheinigungen des Nichtvorliegens', 'der Aussteller ist eine Behörde eines anderen Staates'],
    ] as const) {
      const page = await html(fr, report, lang)
      expect(page).toContain(heading)
      expect(page).toContain('#5 DublinReplyAbsenceMilestone')
      expect(page).toContain(italianUnit.did)
      expect(page).toContain(reason)
    }
    // the same attestation by the requesting state's unit is an implicit acceptance
    const german = await verify(fr, await presentCase(fr, [{ type: 'DublinReplyAbsenceMilestone', claims: replyAbsence('2026-02-20') }]), {
      asOf: '2026-03-01',
    })
    expect(german.assessment).toMatchObject({ acceptanceType: 'implicit', deemedAcceptedFrom: '2026-02-18' })
    expect(unusedOf(german)).toEqual([])
  })

  it('an attestation naming its own issuer’s state as the requesting state does not make it so', async () => {
    const claims = { ...replyAbsence('2026-02-20'), requestingState: 'IT' }
    const report = await verify(fr, await presentCase(fr, [{ type: 'DublinReplyAbsenceMilestone', claims, issuer: italianUnit }]), {
      asOf: '2026-03-01',
    })
    expect(unusedOf(report)).toEqual([expect.objectContaining({ credential: 4, issuerState: 'IT', requestingState: 'DE', reason: 'issuer-not-of-requesting-state' })])
    expect(report.assessment?.deemedAcceptedFrom ?? null).toBeNull()
  })

  it('the re-examination reply, extension, suspensive effect and transfer absences of another state are not used either', async () => {
    const cases: Extra[] = [
      { type: 'DublinReexaminationReplyAbsenceMilestone', claims: { milestoneDate: '2026-03-20', requestingState: 'DE', requestedState: 'FR' }, issuer: italianUnit },
      { type: 'TransferExtensionAbsenceMilestone', claims: { milestoneDate: '2026-03-20', requestingState: 'DE', requestedState: 'FR' }, issuer: italianUnit },
      { type: 'SuspensiveEffectAbsenceMilestone', claims: { milestoneDate: '2026-03-20' }, issuer: frenchAuthority },
      { type: 'TransferAbsenceMilestone', claims: { milestoneDate: '2026-03-20', receivingState: 'FR' }, issuer: frenchAuthority },
    ]
    for (const extra of cases) {
      const report = await verify(fr, await presentCase(fr, [extra]), { asOf: '2026-03-25' })
      expect(report.verdict, extra.type).toBe('valid')
      expect(unusedOf(report), extra.type).toEqual([
        { credential: 4, type: extra.type, issuerState: extra.issuer === italianUnit ? 'IT' : 'FR', requestingState: 'DE', reason: 'issuer-not-of-requesting-state' },
      ])
      expect(report.facts.some((f) => f.credentials.includes(4)), extra.type).toBe(false)
    }
  })

  it('an issuer accredited for no state’s jurisdiction cannot attest an absence', async () => {
    const report = await verify(fr, await presentCase(fr, [{ type: 'DublinReplyAbsenceMilestone', claims: replyAbsence('2026-02-20'), issuer: unbound }]), {
      asOf: '2026-03-01',
    })
    expect(report.verdict).toBe('valid')
    expect(unusedOf(report)).toEqual([
      { credential: 4, type: 'DublinReplyAbsenceMilestone', issuerState: null, requestingState: 'DE', reason: 'issuer-state-unknown' },
    ])
    expect(report.assessment?.deemedAcceptedFrom ?? null).toBeNull()
  })
})

describe('the issuance day of an absence attestation', () => {
  it('is the earliest of iat, nbf and issuanceDate: a later iat gains no days', async () => {
    // iat a minute ago; nbf and issuanceDate three days ago; the as-of day two days ago lies after
    // the earliest of them, so the attestation claims days nobody had seen when it was first dated
    const now = Date.now()
    const validFrom = new Date(now - 3 * 86_400_000)
    const asOf = new Date(now - 2 * 86_400_000).toISOString().slice(0, 10)
    const token = await presentCase(fr, [
      { type: 'DublinReplyAbsenceMilestone', claims: replyAbsence(asOf), issuedAt: new Date(now - 60_000), validFrom },
    ])
    const report = await verify(fr, token)
    expect(report.credentials[4]!.steps.find((s) => s.step === 'validity-window')).toMatchObject({
      outcome: 'failed',
      reason: 'absence-as-of-after-issuance',
      details: { issuedOn: validFrom.toISOString().slice(0, 10) },
    })
    expect(report.facts.some((f) => f.source === 'absence-attestation')).toBe(false)
  })
})

describe('complete chains (trust policy)', () => {
  it('off by default: nothing rests on the chain, no commitment stated', async () => {
    const report = await verify(fr, await presentCase(fr))
    expect(report.dublin?.completeChain).toMatchObject({ policy: [], absences: [] })
    expect(report.facts.some((f) => f.source === 'complete-chain')).toBe(false)
    expect(report.dublin?.completeChainCommitment).toBeUndefined()
    expect(await html(fr, report, 'en')).not.toContain('rest on a deployment commitment')
  })

  it('on: a structured warning at start-up states the precondition the policy rests on; off: none', async () => {
    const lines = (logged: string[]) => logged.map((line) => JSON.parse(line) as Record<string, unknown>)
    const on: string[] = []
    const withPolicy = await startVerifier(world, { FLORA_VERIFIER_COMPLETE_CHAIN: 'DE:2' }, undefined, {
      logger: pino({ level: 'info' }, { write: (line: string) => on.push(line) }),
    })
    await withPolicy.close()
    expect(lines(on)).toContainEqual(
      expect.objectContaining({
        level: 40,
        event: 'complete-chain-policy-on',
        completeChainJurisdictions: [{ state: 'DE', recordingDelayDays: 2 }],
        precondition: expect.stringContaining('deliver every recorded milestone into the case\'s chain, in recording order, within the recording delay'),
        msg: expect.stringContaining('forms the chain at redemption'),
      }),
    )
    const off: string[] = []
    const without = await startVerifier(world, {}, undefined, { logger: pino({ level: 'info' }, { write: (line: string) => off.push(line) }) })
    await without.close()
    expect(lines(off).some((l) => l.event === 'complete-chain-policy-on')).toBe(false)
  })

  it('on for Germany: an event German authorities record and the unbroken chain lacks did not happen up to head − delay − 1', async () => {
    const policy = await startVerifier(world, { FLORA_VERIFIER_COMPLETE_CHAIN: 'DE:2', FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
    try {
      const types = [...REQUEST_CASE, 'DublinReplyMilestone']
      // the case began ten days before its head was issued: the chain covers head − 2 − 1 days
      const holder = world.holder()
      const jwts: string[] = []
      let previous: string | null = null
      const headIssuedAt = new Date(Date.now() - 60_000)
      for (const [i, type] of types.entries()) {
        const issuedAt = i === types.length - 1 ? headIssuedAt : new Date(headIssuedAt.getTime() - 10 * 86_400_000)
        const { jwt } = await world.issue({ type, holder: holder.did, previous, issuedAt })
        jwts.push(jwt)
        previous = hashOf(jwt)
      }
      const token = await world.presentation(holder, jwts, world.anchor(jwts), policy.services.identity.did, await policy.nonce())
      const report = await verify(policy, token)
      expect(report.verdict).toBe('valid')
      expect(report.dublin?.completeChain).toMatchObject({ policy: [{ state: 'DE', recordingDelayDays: 2 }], chainUnbroken: true })
      const fromChain = report.facts.filter((f) => f.source === 'complete-chain')
      expect(fromChain.map((f) => f.fact)).toEqual(expect.arrayContaining(['/transferExecuted', '/extensionNotified']))
      // what the chain holds is not an absence
      expect(fromChain.map((f) => f.fact)).not.toContain('/reply')
      expect(report.dublin?.completeChain.absences.length).toBeGreaterThanOrEqual(fromChain.length)
      // issuance days are UTC days, as the issuer reads them
      const head = headIssuedAt.toISOString().slice(0, 10)
      const through = new Date(Date.parse(`${head}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10)
      for (const fact of fromChain) expect(fact).toMatchObject({ absentThrough: through, credentials: [], basis: expect.stringContaining('DE') })
      // every fact resting on the chain rests on the deployment's commitment, and says so
      expect(report.dublin?.completeChainCommitment).toContain('deliver every recorded milestone')
      for (const [lang, commitment, source] of [
        ['en', 'rest on a deployment commitment', `complete chain up to ${through} (rests on the deployment commitment`],
        ['fr', "reposent sur un engagement du déploiement", `chaîne complète, jusqu'au ${through} (repose sur l'engagement du déploiement`],
        ['de', 'beruhen auf einer Zusage des Betriebs', `vollständige Kette, bis ${through} (beruht auf der Zusage des Betriebs`],
      ] as const) {
        const page = await html(policy, report, lang)
        expect(page).toContain(commitment)
        expect(page).toContain(source.replaceAll("'", '&#39;'))
      }
      // the same chain without the policy (the default verifier): nothing rests on it
      const off = await verify(fr, await world.presentation(holder, jwts, world.anchor(jwts), fr.services.identity.did, await fr.nonce()))
      expect(off.facts.some((f) => f.source === 'complete-chain')).toBe(false)
      // a chain with a gap proves nothing about what it lacks
      const gapped = [jwts[0]!, ...jwts.slice(2)]
      const broken = await verify(
        policy,
        await world.presentation(holder, gapped, world.anchor(gapped), policy.services.identity.did, await policy.nonce()),
      )
      expect(broken.dublin?.completeChain).toMatchObject({ chainUnbroken: false, absences: [] })
      expect(broken.facts.some((f) => f.source === 'complete-chain')).toBe(false)
    } finally {
      await policy.close()
    }
  })

  it('refuses a policy it cannot read at start-up', async () => {
    const { loadVerifierConfig } = await import('../src/index.ts')
    expect(() => loadVerifierConfig({ FLORA_VERIFIER_COMPLETE_CHAIN: 'DE' })).toThrow()
    expect(() => loadVerifierConfig({ FLORA_VERIFIER_COMPLETE_CHAIN: 'DE:2,DE:3' })).toThrow()
    expect(() => loadVerifierConfig({ FLORA_VERIFIER_TIME_ZONE: 'Europe/Atlantis' })).toThrow()
    expect(loadVerifierConfig({ FLORA_VERIFIER_COMPLETE_CHAIN: 'DE:2, AT:0' }).FLORA_VERIFIER_COMPLETE_CHAIN).toEqual([
      { state: 'DE', recordingDelayDays: 2 },
      { state: 'AT', recordingDelayDays: 0 },
    ])
  })
})

// The OpenID4VP request keeps the officer's asOf and declarations until the wallet answers: on
// SQLite and PostgreSQL alike.
describe.each(['sqlite', 'postgresql'] as const)('OpenID4VP request with asOf and declared facts (%s)', (provider) => {
  let database: TestDatabase | undefined
  let verifier: VerifierUnderTest

  beforeAll(async () => {
    database = provider === 'postgresql' ? await tempPostgresDatabase() : undefined
    verifier = await startVerifier(world, {
      FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0',
      ...(database ? { FLORA_VERIFIER_DATABASE_URL: database.url } : {}),
    })
  })
  afterAll(async () => {
    await verifier?.close()
    await database?.dispose()
  })

  it('persists them on the request and applies them to the answer', async () => {
    const auth = { authorization: `Bearer ${verifier.token}`, 'content-type': 'application/json' }
    const create = (body: Record<string, unknown>) =>
      fetch(`${verifier.url}/presentation-requests`, { method: 'POST', headers: auth, body: JSON.stringify(body) })
    expect((await create({ asOf: '2026-02-29' })).status).toBe(400)
    expect((await create({ asOf: '2999-01-01' })).status).toBe(400)
    expect((await create({ declaredFacts: [{ fact: 'appeal', value: null }] })).status).toBe(400)
    const declaredFacts = [{ fact: 'reply', value: null }]
    const created = await create({ asOf: '2026-03-01', declaredFacts })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    const status = async () =>
      (await (await fetch(`${verifier.url}/presentation-requests/${id}`, { headers: auth })).json()) as {
        status: string
        reportId: string | null
        asOf: string | null
        declaredFacts: unknown
      }
    expect(await status()).toMatchObject({ status: 'created', asOf: '2026-03-01', declaredFacts })
    const row = await verifier.db.client.presentationRequest.findUnique({ where: { id } })
    expect(row).toMatchObject({ asOf: '2026-03-01', declaredFactsJson: JSON.stringify(declaredFacts) })

    // the wallet answers (the holder module's part is covered in oid4vp.test.ts): direct_post
    const holder = world.holder()
    const jwts = await world.issueCase(holder.did, REQUEST_CASE)
    const vp = await world.presentation(holder, jwts, world.anchor(jwts), verifier.services.identity.did, row!.nonce)
    const submission = {
      id: 'submission',
      definition_id: 'flora-dublin-evidence',
      descriptor_map: jwts.map((_, i) => ({
        id: 'asylum-procedure-milestones',
        format: 'jwt_vp',
        path: '$',
        path_nested: { id: 'asylum-procedure-milestones', format: 'jwt_vc', path: `$.vp.verifiableCredential[${i}]` },
      })),
    }
    const answer = await fetch(`${verifier.url}/oid4vp/response`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: vp, presentation_submission: JSON.stringify(submission), state: row!.state }),
    })
    expect(answer.status).toBe(302)
    expect(answer.headers.get('location')).toContain('code=')
    const answered = await status()
    expect(answered.status).toBe('answered')
    const report = (await (await fetch(`${verifier.url}/reports/${answered.reportId}`, { headers: auth })).json()) as VerificationReport
    expect(report.dublin).toMatchObject({ asOf: '2026-03-01', declaredFacts })
    expect(report.assessment).toMatchObject({ acceptanceType: 'implicit', deemedAcceptedFrom: '2026-02-18' })
    expect(report.facts.find((f) => f.source === 'declared-by-verifier')).toBeDefined()
  })
})


describe('OpenAPI', () => {
  it('describes asOf and declaredFacts on both ways in', async () => {
    const doc = (await (await fetch(`${fr.url}/openapi.json`)).json()) as {
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }>
    }
    for (const path of ['/verifications', '/presentation-requests']) {
      const schema = doc.paths[path]?.post?.requestBody?.content['application/json']?.schema
      expect(Object.keys(schema?.properties ?? {}), path).toEqual(expect.arrayContaining(['asOf', 'declaredFacts']))
      expect(JSON.stringify(schema?.properties.declaredFacts)).toContain('transferExecuted')
    }
  })
})
