// The procedure shared by both rule sets: request, reply (or silence), re-examination, transfer.
// Each phase computes its deadlines through the clock and reports what happened in it; what that
// means for status and responsibility is decided in status.ts.
import { addDays, earliest, type IsoDate, latest } from '../calendar/iso-date.ts'
import { periodEnd } from '../calendar/periods.ts'
import { absentThrough, happened, readAbsence, eventValue } from './absence.ts'
import type { DublinAssessment } from './assessment.ts'
import { createDeadlineClock, type DeadlineClock, dayAfter } from './deadline-clock.ts'
import type { ExplanationLog } from './explanation.ts'
import { type DublinFacts, EXTENSION_GROUNDS, type ExtensionGround } from './facts.ts'
import type { CaseContext, LateRequestEffect, ProceduralRules } from './procedural-rules.ts'

export type RequestPhase = {
  deadline?: IsoDate
  /** The day the request was sent, when it happened. */
  sent?: IsoDate
  /** The last day up to which no request is established (requestSent null or { notBy }). */
  notSentThrough?: IsoDate
  /** requestSent is absent from the facts. */
  sentUnknown: boolean
  /** Whether the request was in time, when the facts establish it. */
  timely?: boolean
  lateEffect: LateRequestEffect
  detentionDeadline?: IsoDate
}

export type Acceptance = {
  type: 'explicit' | 'implicit'
  /** The day the transfer period runs from (the acceptance, or the implicitAnchor day). */
  event: IsoDate
  /** Explicit acceptance without a known request date: an earlier implicit acceptance is possible. */
  upperBound?: boolean
}

export type ReplyOutcome =
  | { kind: 'unknown' }
  /** No reply deadline can be computed: neither requestSent nor requestReceived is known. */
  | { kind: 'noDeadline' }
  | { kind: 'pending'; asOf: IsoDate }
  | { kind: 'accepted'; acceptance: Acceptance }
  | { kind: 'rejected'; on: IsoDate; timingUnknown?: boolean }

export type ReexaminationOutcome =
  | { kind: 'windowOpen'; asOf: IsoDate }
  | { kind: 'rejectedFinal'; from: IsoDate }
  | { kind: 'pending'; asOf: IsoDate }
  | { kind: 'unknown'; what: 'reexamination' | 'reexamination.reply' }
  | { kind: 'closedNoReply'; from: IsoDate }
  | { kind: 'accepted'; acceptance: Acceptance }

export type TransferOutcome =
  | { kind: 'suspended'; executed?: IsoDate; absentThrough?: IsoDate }
  | { kind: 'unknown'; deadline: IsoDate }
  | { kind: 'pending'; deadline: IsoDate; asOf: IsoDate }
  | { kind: 'executed'; deadline: IsoDate; on: IsoDate }
  | { kind: 'executedLate'; deadline: IsoDate; on: IsoDate }
  | { kind: 'expired'; deadline: IsoDate; viaMaximum?: IsoDate }
  /** No transfer up to a day on or after the earliest deadline, but the deadline itself is open. */
  | { kind: 'open'; deadline: IsoDate; through: IsoDate; missing: string[] }

export type ProcedureResult = {
  requestType: CaseContext['requestType']
  fields: Partial<DublinAssessment>
  request: RequestPhase
  reply?: ReplyOutcome
  reexamination?: ReexaminationOutcome
  transfer?: TransferOutcome
  /** The transfer deadline may be later (extension or suspensive effect unknown). */
  transferDeadlineLowerBound?: boolean
  /** For an upper-bound deadline: the earliest the deadline can be (request on the application day). */
  transferDeadlineLowest?: IsoDate
  missingFacts: string[]
}

type Phase = {
  c: CaseContext
  rules: ProceduralRules
  clock: DeadlineClock
  log: ExplanationLog
  fields: Partial<DublinAssessment>
  missing: string[]
}

/** Logs that a fact is unknown and lists it as missing. */
function missingFact(p: Phase, what: string, why: string): void {
  if (!p.missing.includes(what)) p.missing.push(what)
  p.log.add({
    subject: what,
    value: null,
    basis: 'silence is not absence (docs/DUBLIN-ABSENCE.md §1)',
    note: `${what} is unknown (absent from the facts, not stated as null or { notBy }): ${why}`,
  })
}

function requestPhase(p: Phase): RequestPhase {
  const { c, rules, clock, log, fields } = p
  const f = c.facts
  const components = rules.requestComponents(c)
  const dates = components.map(({ key, spec }) => {
    const date = clock(key, spec, 'requesting')
    if (key !== 'requestDeadlineFromAwareness') fields[key] = date
    return date
  })
  const lateEffect = rules.lateRequestEffect(c)
  let deadline: IsoDate | undefined
  if (dates.length) {
    deadline = earliest(dates[0]!, ...dates.slice(1))
    const rolled = rules.rollsForward(c.options)
      ? ' (each component rolled separately, then the earliest taken)'
      : ''
    log.add({
      subject: 'requestDeadline',
      date: deadline,
      basis: dates.length > 1 ? rules.earliestComponentBasis : components[0]!.spec.basis,
      note:
        dates.length > 1
          ? `earliest of ${components.map((x, i) => `${x.key} ${dates[i]}`).join(' and ')}${rolled}`
          : undefined,
    })
    fields.requestDeadline = deadline
  } else {
    const needed =
      c.requestType === 'TBN'
        ? 'eurodacHit'
        : c.requestType === 'TBR_ART24'
          ? 'eurodacHit'
          : c.ruleSet === 'AMMR'
            ? 'applicationRegistered'
            : 'applicationLodged'
    log.add({
      subject: 'requestDeadline',
      value: null,
      basis: lateEffect.basis,
      note: `no start date for the request period: ${needed} is not given`,
    })
    if (lateEffect.kind !== 'none') p.missing.push(needed)
  }
  if (f.eurodacHit === undefined && c.requestType !== 'TBN')
    log.add({
      subject: 'eurodacHit',
      value: null,
      basis: 'docs/DUBLIN-ABSENCE.md §1',
      note: 'eurodacHit is not stated (neither a hit, nor null, nor { notBy }): the periods are computed as if there was no hit; a hit could only shorten the request period (and, under the AMMR, the take charge reply period)',
    })

  let detentionDeadline: IsoDate | undefined
  const detention = rules.detentionRequest(c)
  if (detention) {
    detentionDeadline = clock('requestDeadlineFromDetention', detention, 'requesting')
    fields.requestDeadlineFromDetention = detentionDeadline
  }

  const sent = eventValue(f.requestSent)
  const notSentThrough = absentThrough(f.requestSent, f.asOf)
  const sentUnknown = f.requestSent === undefined
  let timely: boolean | undefined
  let note: string | undefined
  if (deadline && sent) {
    timely = sent <= deadline
    note = `request sent ${sent}, deadline ${deadline}${timely ? '' : `: late; consequence: ${describeLateEffect(lateEffect)}`}`
  } else if (deadline && readAbsence(f.requestSent, deadline, f.asOf).kind === 'missed') {
    timely = false
    note = `no request sent up to ${notSentThrough}, deadline ${deadline} has passed; consequence: ${describeLateEffect(lateEffect)}`
  } else if (deadline && sentUnknown) {
    // The request precedes its receipt and any reply: an event on or before the deadline proves
    // that the request was in time even though its own date is unknown.
    const reply = eventValue(f.reply)
    const bound = f.requestReceived ?? reply?.received
    if (bound && bound <= deadline) {
      timely = true
      note = `requestSent is unknown, but the request was sent at the latest on ${bound} (${f.requestReceived ? 'requestReceived' : 'reply.received'}), within the deadline ${deadline}`
    }
  }
  // An absence of the request established only up to a day before asOf leaves the days after open.
  if (notSentThrough !== undefined && notSentThrough < f.asOf && timely !== false)
    p.missing.push('requestSent')
  if (timely !== undefined) {
    fields.requestTimely = timely
    log.add({ subject: 'requestTimely', value: timely, basis: lateEffect.basis, note })
  }
  return { deadline, sent, notSentThrough, sentUnknown, timely, lateEffect, detentionDeadline }
}

function describeLateEffect(e: LateRequestEffect): string {
  if (e.kind === 'requestingStateResponsible')
    return 'the requesting state is responsible from the day after the deadline'
  if (e.kind === 'offerNewApplication')
    return 'the person must be given the opportunity to lodge a new application'
  return 'no effect on responsibility'
}

type Answer =
  | { kind: 'unknown' }
  | { kind: 'pending'; asOf: IsoDate }
  | { kind: 'silence' }
  | { kind: 'positive'; on: IsoDate }
  | { kind: 'negative'; on: IsoDate }

/**
 * Turns a reply (or its absence) into an outcome (docs/DUBLIN-ABSENCE.md §2): a reply after its
 * deadline has no effect; absence established through the deadline is silence (final); absence
 * established only up to an earlier day leaves the period open as of that day.
 */
function answer(p: Phase, reply: unknown, deadline: IsoDate, what: 'reply' | 'reexamination.reply'): Answer {
  const { asOf } = p.c.facts
  const value = eventValue(reply as DublinFacts['reply'])
  if (value) {
    if (value.received <= deadline) {
      const positive = value.type === 'acceptance' || value.type === 'confirmation'
      return positive ? { kind: 'positive', on: value.received } : { kind: 'negative', on: value.received }
    }
    p.log.add({
      subject: what,
      value: value.type,
      basis: 'deadline passed before the reply',
      note: `${value.type} received ${value.received}, after the deadline ${deadline}: no effect (a late refusal does not undo the acceptance fiction; a late acceptance restarts nothing)`,
    })
    return { kind: 'silence' }
  }
  const r = readAbsence(reply, deadline, asOf)
  if (r.kind === 'unknown' || r.kind === 'happened') {
    missingFact(p, what, 'it decides the outcome and is not assumed')
    return { kind: 'unknown' }
  }
  if (r.kind === 'missed') {
    p.log.add({
      subject: what,
      value: null,
      basis: 'docs/DUBLIN-ABSENCE.md §2',
      note: `no ${what} up to ${r.through}, on or after the deadline ${deadline}: the period passed without a reply`,
    })
    return { kind: 'silence' }
  }
  if (r.through < asOf) {
    if (!p.missing.includes(what)) p.missing.push(what)
    p.log.add({
      subject: what,
      value: null,
      basis: 'docs/DUBLIN-ABSENCE.md §2',
      note: `no ${what} established only up to ${r.through}, before the deadline ${deadline}: the period was open on ${r.through}; what happened after it is unknown`,
    })
  }
  return { kind: 'pending', asOf: r.through }
}

function implicitAcceptance(p: Phase, replyDeadline: IsoDate, basis: string): Acceptance {
  const { c, log, fields } = p
  const anchor = c.options.implicitAnchor === 'replyDeadline' ? replyDeadline : dayAfter(replyDeadline)
  // The period ends with the expiry of its last day (Dublin III Art. 42, AMMR Art. 75): the request
  // counts as accepted from the next day, whatever the anchor of the transfer period.
  const from = dayAfter(replyDeadline)
  fields.deemedAcceptedFrom = from
  const tbn = c.ruleSet === 'AMMR' && c.requestType === 'TBN'
  log.add({
    subject: 'deemedAcceptedFrom',
    date: from,
    basis: tbn
      ? `${basis}; Dublin III Art. 42 / AMMR Art. 75 (a period ends with the expiry of its last day)`
      : `${basis}; AMMR Art. 75 / Dublin III Art. 42 (a period ends with the expiry of its last day)`,
    note: tbn
      ? `no reply to the take back notification by ${replyDeadline}: deemed confirmation of receipt of the notification (AMMR Art. 41(4)) from ${from}, not an acceptance; the obligation to take back follows from the Eurodac hit (AMMR Art. 36(1)(b))`
      : `no reply by ${replyDeadline}: the request counts as accepted from ${from}, the day after the reply deadline (final: a later refusal cannot undo it)`,
  })
  log.add({
    subject: 'transferPeriodStart',
    date: anchor,
    basis: `option implicitAnchor = ${c.options.implicitAnchor}`,
    note:
      c.options.implicitAnchor === 'replyDeadline'
        ? 'the transfer period after a deemed acceptance is counted from the last day of the reply period (VG Regensburg RN 8 E 18.50731); contested: BAMF practice counts from the day after'
        : 'the transfer period after a deemed acceptance is counted from the day after the last day of the reply period (BAMF practice); contested: VG Regensburg counts from the last day',
  })
  return { type: 'implicit', event: anchor }
}

function replyPhase(p: Phase, request: RequestPhase): ReplyOutcome {
  const { c, rules, clock, log, fields } = p
  const f = c.facts
  const received = c.requestReceived
  if (!received) {
    // A reply without a known request date (docs/DUBLIN-ABSENCE.md §5): no reply deadline, but what
    // does not depend on the request is computed.
    const reply = eventValue(f.reply)
    if (f.requestReceivedDisputed)
      missingFact(
        p,
        'requestReceived',
        'the sources disagree on the day the request was received, which the reply period runs from',
      )
    log.add({
      subject: 'replyDeadline',
      value: null,
      basis: rules.replyPeriod(c).basis,
      note: f.requestReceivedDisputed
        ? 'the day of receipt of the request is disputed: the reply deadline cannot be computed'
        : 'neither requestSent nor requestReceived is known: the reply deadline cannot be computed',
    })
    if (!reply) {
      fields.acceptanceType = null
      return { kind: 'noDeadline' }
    }
    const positive = reply.type === 'acceptance' || reply.type === 'confirmation'
    // The request cannot precede the application: a reply received within the reply period counted
    // from the application day was in time whatever the request date.
    const earliestReplyDeadline =
      c.applicationDate && c.requestType !== 'TBR_ART24'
        ? periodEnd(c.applicationDate, rules.replyPeriod(c).period)
        : undefined
    if (earliestReplyDeadline && reply.received <= earliestReplyDeadline) {
      log.add({
        subject: 'reply',
        value: reply.type,
        basis: rules.replyPeriod(c).basis,
        note: `received ${reply.received}, within the reply period even if the request had been received on the application day ${c.applicationDate} (reply deadline ${earliestReplyDeadline} at the earliest): in time whatever the request date`,
      })
      if (positive) {
        fields.acceptanceType = 'explicit'
        return { kind: 'accepted', acceptance: { type: 'explicit', event: reply.received } }
      }
      fields.acceptanceType = null
      return { kind: 'rejected', on: reply.received }
    }
    if (positive) {
      fields.acceptanceType = 'explicit'
      log.add({
        subject: 'acceptanceType',
        value: 'explicit',
        basis: rules.silenceBasis(c),
        note: `${reply.type} received ${reply.received}; without the request date it is unknown whether the reply period had already expired (then the acceptance was implicit and earlier): the transfer deadline counted from ${reply.received} is an upper bound`,
      })
      return { kind: 'accepted', acceptance: { type: 'explicit', event: reply.received, upperBound: true } }
    }
    fields.acceptanceType = null
    log.add({
      subject: 'reply',
      value: reply.type,
      basis: rules.replyPeriod(c).basis,
      note: `${reply.type} received ${reply.received}; without the request date it is unknown whether it came within the reply period (a refusal after the deadline has no effect)`,
    })
    return { kind: 'rejected', on: reply.received, timingUnknown: true }
  }
  if (!f.requestReceived)
    log.add({
      subject: 'requestReceived',
      date: received,
      basis:
        c.ruleSet === 'AMMR'
          ? 'Reg. 2025/2055 Art. 1(3) (DubliNet proof of delivery)'
          : 'Reg. 1560/2003 Art. 15 (the DubliNet acknowledgement proves receipt)',
      note: 'not given: the day the request was sent is taken as the day of receipt',
    })
  void request
  const rule = rules.replyPeriod(c)
  const deadline = clock(
    'replyDeadline',
    { from: received, fromLabel: f.requestReceived ? 'requestReceived' : 'requestSent', ...rule },
    'requested',
  )
  fields.replyDeadline = deadline
  const a = answer(p, f.reply, deadline, 'reply')
  if (a.kind === 'unknown') return a
  if (a.kind === 'pending') {
    fields.acceptanceType = null
    return a
  }
  if (a.kind === 'silence') {
    fields.acceptanceType = 'implicit'
    // Silence on an AMMR take back notification confirms receipt (Art. 41(4)); it accepts nothing.
    if (c.ruleSet === 'AMMR' && c.requestType === 'TBN') fields.deemedConfirmationOfReceipt = true
    return { kind: 'accepted', acceptance: implicitAcceptance(p, deadline, rules.silenceBasis(c)) }
  }
  if (a.kind === 'positive') {
    fields.acceptanceType = 'explicit'
    return { kind: 'accepted', acceptance: { type: 'explicit', event: a.on } }
  }
  fields.acceptanceType = null
  return { kind: 'rejected', on: a.on }
}

function reexaminationPhase(p: Phase, rejectedOn: IsoDate): ReexaminationOutcome {
  const { c, rules, clock, fields, log } = p
  const f = c.facts
  const requestDeadline = clock(
    'reexaminationRequestDeadline',
    { from: rejectedOn, fromLabel: 'reply.received (negative reply)', ...rules.reexaminationRequest(c) },
    'requesting',
  )
  fields.reexaminationRequestDeadline = requestDeadline
  const re = eventValue(f.reexamination)
  if (!re) {
    const r = readAbsence(f.reexamination, requestDeadline, f.asOf)
    if (r.kind === 'unknown' || r.kind === 'happened') {
      missingFact(p, 'reexamination', 'whether a re-examination was requested decides the outcome')
      return { kind: 'unknown', what: 'reexamination' }
    }
    if (r.kind === 'openAsOf') {
      if (r.through < f.asOf && !p.missing.includes('reexamination')) p.missing.push('reexamination')
      return { kind: 'windowOpen', asOf: r.through }
    }
    log.add({
      subject: 'reexamination',
      value: null,
      basis: rules.reexaminationRequest(c).basis,
      note: `no re-examination requested up to ${r.through} (deadline ${requestDeadline}): the negative reply is final`,
    })
    return { kind: 'rejectedFinal', from: dayAfter(requestDeadline) }
  }
  const timely = re.requestSent <= requestDeadline
  fields.reexaminationTimely = timely
  log.add({
    subject: 'reexaminationTimely',
    value: timely,
    basis: rules.reexaminationRequest(c).basis,
    note: `re-examination requested ${re.requestSent}, deadline ${requestDeadline}`,
  })
  if (!timely) return { kind: 'rejectedFinal', from: dayAfter(requestDeadline) }
  const replyDeadline = clock(
    'reexaminationReplyDeadline',
    { from: re.requestSent, fromLabel: 'reexamination.requestSent', ...rules.reexaminationReply(c) },
    'requested',
  )
  fields.reexaminationReplyDeadline = replyDeadline
  const a = answer(p, re.reply, replyDeadline, 'reexamination.reply')
  if (a.kind === 'unknown') return { kind: 'unknown', what: 'reexamination.reply' }
  if (a.kind === 'pending') return a
  if (a.kind === 'silence') return { kind: 'closedNoReply', from: dayAfter(replyDeadline) }
  if (a.kind === 'negative') return { kind: 'rejectedFinal', from: addDays(a.on, 1) }
  fields.acceptanceType = 'explicit'
  return { kind: 'accepted', acceptance: { type: 'explicit', event: a.on } }
}

/**
 * Whether the facts establish the extension ground (Jawo; BVerwG 1 C 55.20 for absconding):
 * `unknown` when the fact the ground rests on is unknown (then the extension's validity is open).
 */
function groundEstablished(
  p: Phase,
  ground: ExtensionGround,
  notifiedOn: IsoDate,
): { ok: boolean | 'unknown'; why: string } {
  const f = p.c.facts
  if (ground === 'absconding' || ground === 'imprisonment') {
    const field = ground === 'absconding' ? 'absconded' : 'imprisoned'
    const fact = f[field]
    const value = eventValue(fact)
    if (!value) {
      const through = absentThrough(fact, f.asOf)
      if (through !== undefined && through >= notifiedOn)
        return { ok: false, why: `no ${ground} up to ${through}, on or after the notice of ${notifiedOn}` }
      return {
        ok: 'unknown',
        why:
          through === undefined
            ? `${field} is unknown: whether the ${ground} ground existed when the extension was notified is open`
            : `no ${ground} established only up to ${through}, before the notice of ${notifiedOn}`,
      }
    }
    if (ground === 'absconding') {
      const a = value as { from: IsoDate; established: boolean }
      if (!a.established)
        return {
          ok: false,
          why: 'absconding is not established (e.g. a missed self-surrender while the whereabouts are known is not absconding: BVerwG 1 C 55.20)',
        }
      if (a.from > notifiedOn)
        return { ok: false, why: `the person absconded only on ${a.from}, after the notice` }
      return { ok: true, why: `absconded from ${a.from}, established` }
    }
    const i = value as { from: IsoDate }
    if (i.from > notifiedOn) return { ok: false, why: `imprisoned only from ${i.from}, after the notice` }
    return { ok: true, why: `imprisoned from ${i.from}` }
  }
  return { ok: true, why: 'no fact field records this ground: the notice is taken as its evidence' }
}

/** The longest extension the rule set allows, for a deadline that may have been extended. */
function longestExtension(rules: ProceduralRules, grounds: readonly ExtensionGround[]) {
  let best:
    | { ground: ExtensionGround; rule: NonNullable<ReturnType<ProceduralRules['extension']>> }
    | undefined
  for (const ground of grounds) {
    const rule = rules.extension(ground)
    if (!rule) continue
    if (!best || periodEnd('2000-01-31', rule.period) > periodEnd('2000-01-31', best.rule.period))
      best = { ground, rule }
  }
  return best
}

function transferPhase(p: Phase, acceptance: Acceptance, result: ProcedureResult): TransferOutcome {
  const { c, rules, clock, log, fields } = p
  const f = c.facts
  const transfer = rules.transfer()
  const implicitLabel = `transferPeriodStart (implicitAnchor = ${c.options.implicitAnchor})`

  const decision = rules.transferDecision()
  if (decision) {
    const d = clock(
      'transferDecisionDeadline',
      {
        from: acceptance.event,
        fromLabel: acceptance.type === 'implicit' ? implicitLabel : 'acceptance',
        ...decision,
      },
      'requesting',
    )
    fields.transferDecisionDeadline = d
    const served = eventValue(f.transferDecisionServed)
    if (served && served > d)
      log.add({
        subject: 'transferDecisionServed',
        date: served,
        basis: decision.basis,
        note: `served after the deadline ${d}: a breach of duty without effect on responsibility`,
      })
  }

  const fromAcceptance = clock(
    'transferDeadlineFromAcceptance',
    {
      from: acceptance.event,
      fromLabel: acceptance.type === 'implicit' ? implicitLabel : 'reply.received (acceptance)',
      ...transfer,
    },
    'requesting',
  )
  let start = acceptance.event
  let startLabel = acceptance.type === 'implicit' ? implicitLabel : 'acceptance'
  let suspended = false
  /** Up to which day no (further) suspensive effect is established; 'always' = settled by a known appeal. */
  let noSuspensiveEffectThrough: IsoDate | 'always' | undefined

  const appeal = eventValue(f.appeal)
  if (appeal?.suspensiveEffect) {
    // Suspensive effect begins with the earlier of the timely urgent application (which bars the
    // transfer by law, § 34a(2) AsylG) and the court's order; the action only if neither is known.
    const starts = [appeal.urgentApplicationFiled, appeal.suspensiveEffectOrdered].filter(Boolean) as IsoDate[]
    const began = starts.length ? earliest(starts[0]!, ...starts.slice(1)) : appeal.actionFiled
    // Before the period ends nothing can restart it; after the effect ended a new one (e.g. a new
    // court order) is excluded only as far as an attestation shows.
    noSuspensiveEffectThrough = 'always'
    if (began && began > fromAcceptance) {
      log.add({
        subject: 'suspensiveEffect',
        date: began,
        basis: rules.suspensiveEffectBasis,
        note: `suspensive effect began ${began}, after the transfer period had expired (${fromAcceptance}): it cannot restart an expired period`,
      })
    } else if (appeal.suspensiveEffectEnded) {
      noSuspensiveEffectThrough = latest(
        appeal.suspensiveEffectEnded,
        ...(appeal.noSuspensiveEffectThrough ? [appeal.noSuspensiveEffectThrough] : []),
      )
      start = latest(start, appeal.suspensiveEffectEnded)
      startLabel = 'appeal.suspensiveEffectEnded'
      fields.transferDeadlineFromAcceptance = fromAcceptance
      log.add({
        subject: 'suspensiveEffect',
        date: appeal.suspensiveEffectEnded,
        basis: rules.suspensiveEffectBasis,
        note: 'the end of the suspensive effect (the date it legally ended, as recorded) restarts the full transfer period',
      })
    } else {
      suspended = true
      fields.transferDeadlineFromAcceptance = fromAcceptance
      log.add({
        subject: 'suspensiveEffect',
        value: true,
        basis: rules.suspensiveEffectBasis,
        note: 'suspensive effect has not ended by asOf: the transfer period is interrupted and will run in full from its end',
      })
    }
  } else if (appeal) {
    // An appeal without suspensive effect shows only that there was none on the days it records
    // (and through an attestation kept beside it): an urgent application or a court order may follow.
    const known = [appeal.actionFiled, appeal.urgentApplicationFiled, appeal.noSuspensiveEffectThrough].filter(
      Boolean,
    ) as IsoDate[]
    noSuspensiveEffectThrough = known.length ? latest(known[0]!, ...known.slice(1)) : undefined
    log.add({
      subject: 'suspensiveEffect',
      value: false,
      basis: rules.suspensiveEffectBasis,
      note: `an appeal without suspensive effect (in Germany: an action without a timely urgent application, § 75 AsylG) does not affect the transfer period; no suspensive effect is established ${noSuspensiveEffectThrough ? `up to ${noSuspensiveEffectThrough}` : 'on no known day'}, a later urgent application or court order is not excluded`,
    })
  } else {
    noSuspensiveEffectThrough = absentThrough(f.appeal, f.asOf)
    log.add({
      subject: 'suspensiveEffect',
      value: noSuspensiveEffectThrough === undefined ? null : false,
      basis: rules.suspensiveEffectBasis,
      note:
        noSuspensiveEffectThrough === undefined
          ? 'appeal is unknown: a remedy with suspensive effect would interrupt the transfer period, so the transfer deadline is known only at the earliest'
          : `no remedy with suspensive effect up to ${noSuspensiveEffectThrough}`,
    })
  }
  const suspension = eventValue(f.authoritySuspension)
  if (suspension)
    log.add({
      subject: 'authoritySuspension',
      date: suspension.from,
      basis: 'Dublin III Art. 27(4); CJEU C-245/21 & C-248/21 (applied to the AMMR by analogy)',
      note: `a suspension decided by the authority for its own reasons${suspension.reason ? ` (${suspension.reason})` : ''} does not interrupt the transfer period`,
    })

  fields.transferPeriodStart = start
  fields.extensionApplied = null
  if (acceptance.upperBound) fields.transferDeadlineIsUpperBound = true
  if (suspended)
    return {
      kind: 'suspended',
      executed: eventValue(f.transferExecuted),
      absentThrough: absentThrough(f.transferExecuted, f.asOf),
    }
  if (f.detained === true)
    fields.detentionTransferDeadline = clock(
      'detentionTransferDeadline',
      { from: start, fromLabel: startLabel, ...rules.detentionTransfer() },
      'requesting',
    )

  let deadline: IsoDate
  if (startLabel === 'appeal.suspensiveEffectEnded')
    deadline = clock('transferDeadline', { from: start, fromLabel: startLabel, ...transfer }, 'requesting')
  else {
    deadline = fromAcceptance
    log.rename('transferDeadlineFromAcceptance', 'transferDeadline')
  }
  const six = deadline

  // Extension (Art. 29(2); AMMR Art. 46(2)): applied, none, or unknown with the longest possible one.
  let extensionUnknown = false
  const extensionMissing: string[] = []
  let maxDeadline: IsoDate | undefined
  const ext = eventValue(f.extensionNotified)
  if (ext) {
    const rule = rules.extension(ext.ground)
    const ground = groundEstablished(p, ext.ground, ext.date)
    let refused: string | undefined
    if (!rule) refused = `"${ext.ground}" is not an extension ground under ${c.ruleSet}`
    else if (ext.date > six) refused = `notified ${ext.date}, after the 6-month period ended ${six}`
    else if (ground.ok === false) refused = ground.why
    if (refused || !rule) {
      log.add({
        subject: 'extensionApplied',
        value: null,
        basis: rule?.basis ?? rules.extensionNoticeBasis,
        note: `no extension: ${refused}`,
      })
    } else if (ground.ok === 'unknown') {
      extensionUnknown = true
      extensionMissing.push(ext.ground === 'absconding' ? 'absconded' : 'imprisoned')
      log.add({
        subject: 'extensionApplied',
        value: null,
        basis: rules.extensionNoticeBasis,
        note: `extension for ${ext.ground} notified ${ext.date}, but its validity is unknown: ${ground.why}`,
      })
      maxDeadline = clock(
        'transferDeadlineIfExtended',
        { from: start, fromLabel: startLabel, ...rule },
        'requesting',
        'the transfer deadline if the notified extension is valid',
      )
    } else {
      fields.transferDeadlineBeforeExtension = six
      fields.extensionApplied = ext.ground
      log.rename('transferDeadline', 'transferDeadlineBeforeExtension')
      log.add({
        subject: 'extensionApplied',
        value: ext.ground,
        basis: rules.extensionNoticeBasis,
        note: `notified ${ext.date}, within the 6-month period ending ${six}; ${ground.why}`,
      })
      deadline = clock(
        'transferDeadline',
        { from: start, fromLabel: startLabel, ...rule },
        'requesting',
        'counted from the same start as the 6 months; the maximum extension is computed',
      )
    }
  } else {
    const r = readAbsence(f.extensionNotified, six, f.asOf)
    if (r.kind === 'missed')
      log.add({
        subject: 'extensionApplied',
        value: null,
        basis: rules.extensionNoticeBasis,
        note: `no extension notified up to ${r.through}, on or after the end of the 6-month period ${six}`,
      })
    else {
      extensionUnknown = true
      extensionMissing.push('extensionNotified')
      const longest = longestExtension(rules, EXTENSION_GROUNDS)
      log.add({
        subject: 'extensionApplied',
        value: null,
        basis: rules.extensionNoticeBasis,
        note:
          r.kind !== 'openAsOf'
            ? `extensionNotified is unknown: an extension notified by ${six} would prolong the transfer period`
            : `no extension notified established only up to ${r.through}, before the end of the 6-month period ${six}: an extension is still possible`,
      })
      if (longest)
        maxDeadline = clock(
          'transferDeadlineMaximum',
          { from: start, fromLabel: startLabel, ...longest.rule },
          'requesting',
          'the latest transfer deadline any extension could give',
        )
    }
  }
  fields.transferDeadline = deadline

  const suspensionSettledThrough = (d: IsoDate) =>
    noSuspensiveEffectThrough === 'always' ||
    (noSuspensiveEffectThrough !== undefined && noSuspensiveEffectThrough >= d)
  const settled = !extensionUnknown && suspensionSettledThrough(deadline)
  if (!settled) {
    fields.transferDeadlineIsLowerBound = true
    result.transferDeadlineLowerBound = true
    log.annotate(
      'transferDeadline',
      `at the earliest: a later deadline is possible (${[
        extensionUnknown ? 'an extension is not excluded' : '',
        suspensionSettledThrough(deadline) ? '' : 'a remedy with suspensive effect is not excluded',
      ]
        .filter(Boolean)
        .join('; ')})`,
    )
  }
  if (acceptance.upperBound && c.applicationDate && c.requestType !== 'TBR_ART24')
    // The earliest implicit acceptance possible: a request received on the application day.
    result.transferDeadlineLowest = periodEnd(
      periodEnd(c.applicationDate, rules.replyPeriod(c).period),
      transfer.period,
    )
  if (acceptance.upperBound)
    log.annotate(
      'transferDeadline',
      'at the latest: counted from an explicit acceptance whose request date is unknown; an earlier implicit acceptance (and so an earlier deadline) stays possible',
    )
  const openMissing = () => [...extensionMissing, ...(suspensionSettledThrough(deadline) ? [] : ['appeal'])]
  const executed = eventValue(f.transferExecuted)
  if (executed) {
    if (executed <= deadline) return { kind: 'executed', deadline, on: executed }
    if (settled) return { kind: 'executedLate', deadline, on: executed }
    const missing = openMissing()
    for (const m of missing) if (!p.missing.includes(m)) p.missing.push(m)
    return { kind: 'open', deadline, through: addDays(executed, -1), missing }
  }
  const r = readAbsence(f.transferExecuted, deadline, f.asOf)
  if (r.kind === 'unknown' || r.kind === 'happened') {
    missingFact(p, 'transferExecuted', 'it decides the outcome and is not assumed')
    return { kind: 'unknown', deadline }
  }
  if (r.kind === 'openAsOf') {
    if (r.through < f.asOf && !p.missing.includes('transferExecuted')) p.missing.push('transferExecuted')
    return { kind: 'pending', deadline, asOf: r.through }
  }
  if (settled) return { kind: 'expired', deadline }
  // The longest extension's last day is a deadline like any other: assessed on that day the transfer
  // can still happen, so only an absence through it with asOf after it settles the expiry (§2).
  if (
    extensionUnknown &&
    maxDeadline &&
    readAbsence(f.transferExecuted, maxDeadline, f.asOf).kind === 'missed' &&
    suspensionSettledThrough(maxDeadline)
  ) {
    log.add({
      subject: 'transferDeadline',
      date: maxDeadline,
      basis: rules.transferExpiryBasis,
      note: `whether the period was extended is unknown, but no transfer took place up to ${r.through}, after even the longest possible extension (${maxDeadline}), and no suspensive effect is established through it: the period expired either way`,
    })
    return { kind: 'expired', deadline, viaMaximum: maxDeadline }
  }
  const missing = openMissing()
  if (r.through < f.asOf) missing.push('transferExecuted')
  for (const m of missing) if (!p.missing.includes(m)) p.missing.push(m)
  return { kind: 'open', deadline, through: r.through, missing }
}

/** Runs the procedure phases that the facts reach. */
export function runProcedure(c: CaseContext, rules: ProceduralRules, log: ExplanationLog): ProcedureResult {
  const fields: Partial<DublinAssessment> = {}
  const p: Phase = { c, rules, clock: createDeadlineClock(c, rules, log), log, fields, missing: [] }
  const request = requestPhase(p)
  const result: ProcedureResult = { requestType: c.requestType, fields, request, missingFacts: p.missing }
  const barred = request.timely === false && request.lateEffect.kind !== 'none'
  if (barred) return result
  const f = c.facts
  const laterEventKnown = !!c.requestReceived || happened(f.reply) || happened(f.reexamination)
  if (request.sentUnknown) {
    const timelinessOpen = request.timely === undefined && request.lateEffect.kind !== 'none'
    if (!laterEventKnown || timelinessOpen || !c.requestReceived)
      missingFact(
        p,
        'requestSent',
        laterEventKnown
          ? 'what depends on the request date (its timeliness, the reply deadline) is not computed'
          : 'whether and when the request was sent decides the outcome',
      )
    if (!laterEventKnown) return result
  } else if (!request.sent) return result
  result.reply = replyPhase(p, request)
  let acceptance: Acceptance | undefined
  if (result.reply.kind === 'accepted') acceptance = result.reply.acceptance
  if (result.reply.kind === 'rejected') {
    result.reexamination = reexaminationPhase(p, result.reply.on)
    if (result.reexamination.kind === 'accepted') acceptance = result.reexamination.acceptance
  }
  if (acceptance) result.transfer = transferPhase(p, acceptance, result)
  return result
}
