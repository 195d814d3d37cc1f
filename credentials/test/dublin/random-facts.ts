// Random but plausible Dublin facts for property tests, from a seeded PRNG (mulberry32).
export type Rnd = () => number

export function seededRandom(seed: number): Rnd {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`)

export function randomIsoDate(rnd: Rnd, fromYear: number, toYear: number): string {
  const a = Date.UTC(fromYear, 0, 1)
  const b = Date.UTC(toYear, 11, 31)
  return iso(a + Math.floor(rnd() * ((b - a) / DAY + 1)) * DAY)
}

const plus = (d: string, n: number) => iso(ms(d) + n * DAY)
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!

/** A case whose events follow each other in time, with asOf after all of them. */
export function randomFacts(rnd: Rnd): {
  facts: Record<string, unknown> & { requestingState: string }
  options: Record<string, unknown>
} {
  const start = randomIsoDate(rnd, 2024, 2027)
  // A take back notification exists only under the AMMR (from the 2026-06-12 cut-off).
  const requestType = pick(
    rnd,
    start >= '2026-06-12'
      ? (['TCR', 'TBR', 'TBR_ART24', 'TBN'] as const)
      : (['TCR', 'TBR', 'TBR_ART24'] as const),
  )
  const facts: Record<string, unknown> & { requestingState: string } = {
    requestingState: pick(rnd, ['DE', 'FR']),
    requestedState: pick(rnd, ['IT', 'AT', 'PL']),
    requestType,
  }
  const ammr = start >= '2026-06-12'
  if (requestType === 'TBR_ART24') facts.apprehendedIrregularStay = start
  else if (ammr) facts.applicationRegistered = start
  else facts.applicationLodged = start
  let t = start
  if (requestType !== 'TCR' || rnd() < 0.5) {
    t = plus(t, Math.floor(rnd() * 20))
    facts.eurodacHit = { category: requestType === 'TCR' ? 2 : 1, received: t }
  }
  if (rnd() < 0.25) facts.detained = true
  if (requestType === 'TCR' && rnd() < 0.2) facts.urgent = { requested: true }
  if (rnd() < 0.9) {
    t = plus(t, Math.floor(rnd() * 100))
    facts.requestSent = t
    const r = rnd()
    if (r < 0.15) facts.reply = null
    else if (r < 0.85) {
      t = plus(t, Math.floor(rnd() * 70))
      const positive = rnd() < 0.75
      facts.reply = {
        type:
          requestType === 'TBN'
            ? positive
              ? 'confirmation'
              : 'nonConfirmation'
            : positive
              ? 'acceptance'
              : 'rejection',
        received: t,
      }
      if (!positive && rnd() < 0.6) {
        t = plus(t, Math.floor(rnd() * 30))
        facts.reexamination = {
          requestSent: t,
          reply:
            rnd() < 0.5
              ? null
              : {
                  type:
                    (facts.reply as { type: string }).type === 'rejection' ? 'acceptance' : 'confirmation',
                  received: plus(t, Math.floor(rnd() * 20)),
                },
        }
        t = plus(t, 20)
      }
    }
    if (rnd() < 0.3) {
      t = plus(t, Math.floor(rnd() * 30))
      facts.appeal = {
        urgentApplicationFiled: t,
        suspensiveEffect: rnd() < 0.7,
        ...(rnd() < 0.6 ? { suspensiveEffectEnded: plus(t, 30 + Math.floor(rnd() * 90)) } : {}),
      }
      const ended = (facts.appeal as { suspensiveEffectEnded?: string }).suspensiveEffectEnded
      if (ended) t = ended
    }
    if (rnd() < 0.3) {
      const ground = pick(rnd, ['absconding', 'imprisonment', 'physicalResistance'] as const)
      t = plus(t, Math.floor(rnd() * 200))
      facts.extensionNotified = { date: t, ground }
      if (ground === 'absconding') facts.absconded = { from: plus(t, -10), established: rnd() < 0.8 }
      if (ground === 'imprisonment') facts.imprisoned = { from: plus(t, -10) }
    }
    // Absence forms (docs/DUBLIN-ABSENCE.md §1): sometimes stated, sometimes left unknown.
    if (rnd() < 0.5) facts.appeal ??= rnd() < 0.5 ? null : { notBy: plus(t, Math.floor(rnd() * 200)) }
    if (rnd() < 0.5) facts.extensionNotified ??= null
    const x = rnd()
    if (x < 0.2) facts.transferExecuted = { notBy: plus(t, Math.floor(rnd() * 250)) }
    else if (x < 0.4) facts.transferExecuted = null
    else if (x < 0.8) {
      t = plus(t, Math.floor(rnd() * 250))
      facts.transferExecuted = t
    }
  }
  if (rnd() < 0.2) facts.verifier = { state: 'NL', eurodacHitReceivedByVerifier: plus(t, 1) }
  facts.asOf = plus(t, Math.floor(rnd() * 400) + 1)
  for (const key of ['appeal', 'transferExecuted'] as const) {
    const fact = facts[key] as { notBy?: string } | null | undefined
    if (fact?.notBy && fact.notBy > (facts.asOf as string)) facts[key] = { notBy: facts.asOf }
  }
  const options: Record<string, unknown> = {}
  if (rnd() < 0.3) options.rollForward = true
  if (rnd() < 0.3) options.implicitAnchor = 'dayAfter'
  if (rnd() < 0.2) options.holidayRegions = { DE: pick(rnd, ['DE-BY', 'DE-SN', 'DE-BE']) }
  return { facts, options }
}
