// The procedure shared by both rule sets: request, reply (or silence), re-examination, transfer.
// Each phase computes its deadlines through the clock and reports what happened in it; what that
// means for status and responsibility is decided in status.ts.
import { addDays, earliest, type IsoDate, latest } from '../calendar/iso-date.ts'
import type { DublinAssessment } from './assessment.ts'
import { createDeadlineClock, type DeadlineClock, dayAfter } from './deadline-clock.ts'
import type { ExplanationLog } from './explanation.ts'
import type { DublinReply } from './facts.ts'
import type { CaseContext, LateRequestEffect, ProceduralRules } from './procedural-rules.ts'

export type RequestPhase = {
  deadline?: IsoDate
  sent?: IsoDate
  timely?: boolean
  lateEffect: LateRequestEffect
  detentionDeadline?: IsoDate
}

export type Acceptance = { type: 'explicit' | 'implicit'; event: IsoDate }

export type ReplyOutcome =
  | { kind: 'unknown' }
  | { kind: 'pending' }
  | { kind: 'accepted'; acceptance: Acceptance }
  | { kind: 'rejected'; on: IsoDate }

export type ReexaminationOutcome =
  | { kind: 'windowOpen' }
  | { kind: 'rejectedFinal'; from: IsoDate }
  | { kind: 'pending' }
  | { kind: 'unknown' }
  | { kind: 'closedNoReply'; from: IsoDate }
  | { kind: 'accepted'; acceptance: Acceptance }

export type TransferOutcome =
  | { kind: 'suspended'; executed?: IsoDate | null }
  | { kind: 'unknown'; deadline: IsoDate }
  | { kind: 'pending'; deadline: IsoDate }
  | { kind: 'executed'; deadline: IsoDate }
  | { kind: 'executedLate'; deadline: IsoDate }
  | { kind: 'expired'; deadline: IsoDate }

export type ProcedureResult = {
  requestType: CaseContext['requestType']
  fields: Partial<DublinAssessment>
  request: RequestPhase
  reply?: ReplyOutcome
  reexamination?: ReexaminationOutcome
  transfer?: TransferOutcome
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
      ? ' (each component rolled separately, then the earliest taken: AMMR.md §2)'
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

  let detentionDeadline: IsoDate | undefined
  const detention = rules.detentionRequest(c)
  if (detention) {
    detentionDeadline = clock('requestDeadlineFromDetention', detention, 'requesting')
    fields.requestDeadlineFromDetention = detentionDeadline
  }

  const sent = f.requestSent
  let timely: boolean | undefined
  if (deadline && sent) timely = sent <= deadline
  else if (deadline && !sent && f.asOf > deadline) timely = false
  if (timely !== undefined) {
    fields.requestTimely = timely
    log.add({
      subject: 'requestTimely',
      value: timely,
      basis: lateEffect.basis,
      note: sent
        ? `request sent ${sent}, deadline ${deadline}${timely ? '' : `: late; consequence: ${describeLateEffect(lateEffect)}`}`
        : `no request sent by asOf ${f.asOf}, deadline ${deadline} has passed; consequence: ${describeLateEffect(lateEffect)}`,
    })
  }
  return { deadline, sent, timely, lateEffect, detentionDeadline }
}

function describeLateEffect(e: LateRequestEffect): string {
  if (e.kind === 'requestingStateResponsible')
    return 'the requesting state is responsible from the day after the deadline'
  if (e.kind === 'offerNewApplication')
    return 'the person must be given the opportunity to lodge a new application'
  return 'no effect on responsibility'
}

/** Turns a reply (or silence) into an outcome; a reply after its deadline has no effect. */
function answer(
  p: Phase,
  reply: DublinReply | null | undefined,
  deadline: IsoDate,
  what: 'reply' | 'reexamination.reply',
):
  | { kind: 'unknown' }
  | { kind: 'pending' }
  | { kind: 'silence' }
  | { kind: 'positive'; on: IsoDate }
  | { kind: 'negative'; on: IsoDate } {
  const { asOf } = p.c.facts
  if (reply === undefined) {
    p.missing.push(what)
    p.log.add({
      subject: what,
      value: null,
      basis: 'silence is not absence',
      note: `${what} is unknown (absent from the facts, not stated as null): it decides the outcome and is not assumed`,
    })
    return { kind: 'unknown' }
  }
  if (reply === null || reply.received > deadline) {
    if (reply)
      p.log.add({
        subject: what,
        value: reply.type,
        basis: 'deadline passed before the reply',
        note: `${reply.type} received ${reply.received}, after the deadline ${deadline}: no effect (a late refusal does not undo the acceptance fiction; a late acceptance restarts nothing)`,
      })
    return asOf <= deadline ? { kind: 'pending' } : { kind: 'silence' }
  }
  const positive = reply.type === 'acceptance' || reply.type === 'confirmation'
  return positive ? { kind: 'positive', on: reply.received } : { kind: 'negative', on: reply.received }
}

function implicitAcceptance(p: Phase, replyDeadline: IsoDate, basis: string): Acceptance {
  const anchor = p.c.options.implicitAnchor === 'replyDeadline' ? replyDeadline : dayAfter(replyDeadline)
  p.fields.deemedAcceptedFrom = anchor
  p.log.add({
    subject: 'deemedAcceptedFrom',
    date: anchor,
    basis: `${basis}; anchor option implicitAnchor = ${p.c.options.implicitAnchor}`,
    note:
      p.c.options.implicitAnchor === 'replyDeadline'
        ? 'the acceptance fiction arises at the end of the last day of the reply period, which is taken as the acceptance event (VG Regensburg RN 8 E 18.50731); contested: BAMF practice anchors on the day after'
        : 'the day after the last day of the reply period is taken as the acceptance event (BAMF practice); contested: VG Regensburg anchors on the last day',
  })
  return { type: 'implicit', event: anchor }
}

function replyPhase(p: Phase, sent: IsoDate): ReplyOutcome {
  const { c, rules, clock, log, fields } = p
  const received = c.requestReceived ?? sent
  if (!c.facts.requestReceived)
    log.add({
      subject: 'requestReceived',
      date: received,
      basis:
        c.ruleSet === 'AMMR'
          ? 'Reg. 2025/2055 Art. 1(3) (DubliNet proof of delivery)'
          : 'Reg. 1560/2003 Art. 15 (the DubliNet acknowledgement proves receipt)',
      note: 'not given: the day the request was sent is taken as the day of receipt',
    })
  const rule = rules.replyPeriod(c)
  const deadline = clock(
    'replyDeadline',
    { from: received, fromLabel: 'requestReceived', ...rule },
    'requested',
  )
  fields.replyDeadline = deadline
  const a = answer(p, c.facts.reply, deadline, 'reply')
  if (a.kind === 'unknown' || a.kind === 'pending') {
    if (a.kind === 'pending') fields.acceptanceType = null
    return a
  }
  if (a.kind === 'silence') {
    fields.acceptanceType = 'implicit'
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
  const re = f.reexamination
  if (!re) {
    if (f.asOf <= requestDeadline) return { kind: 'windowOpen' }
    log.add({
      subject: 'reexamination',
      value: null,
      basis: rules.reexaminationRequest(c).basis,
      note: `no re-examination requested by ${requestDeadline}: the negative reply is final`,
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
  if (a.kind === 'unknown' || a.kind === 'pending') return a
  if (a.kind === 'silence') return { kind: 'closedNoReply', from: dayAfter(replyDeadline) }
  if (a.kind === 'negative') return { kind: 'rejectedFinal', from: addDays(a.on, 1) }
  fields.acceptanceType = 'explicit'
  return { kind: 'accepted', acceptance: { type: 'explicit', event: a.on } }
}

/** Whether the facts establish the extension ground (Jawo; BVerwG 1 C 55.20 for absconding). */
function groundEstablished(p: Phase, notifiedOn: IsoDate): { ok: boolean; why: string } {
  const f = p.c.facts
  const ground = f.extensionNotified!.ground
  if (ground === 'absconding') {
    if (!f.absconded)
      return {
        ok: false,
        why: 'no absconding is established in the facts (absent facts count as not happened)',
      }
    if (!f.absconded.established)
      return {
        ok: false,
        why: 'absconding is not established (e.g. a missed self-surrender while the whereabouts are known is not absconding: BVerwG 1 C 55.20)',
      }
    if (f.absconded.from > notifiedOn)
      return { ok: false, why: `the person absconded only on ${f.absconded.from}, after the notice` }
    return { ok: true, why: `absconded from ${f.absconded.from}, established` }
  }
  if (ground === 'imprisonment') {
    if (!f.imprisoned) return { ok: false, why: 'no imprisonment in the facts' }
    if (f.imprisoned.from > notifiedOn)
      return { ok: false, why: `imprisoned only from ${f.imprisoned.from}, after the notice` }
    return { ok: true, why: `imprisoned from ${f.imprisoned.from}` }
  }
  return { ok: true, why: 'no fact field records this ground: the notice is taken as its evidence' }
}

function transferPhase(p: Phase, acceptance: Acceptance): TransferOutcome {
  const { c, rules, clock, log, fields } = p
  const f = c.facts
  const transfer = rules.transfer()

  const decision = rules.transferDecision()
  if (decision) {
    const d = clock(
      'transferDecisionDeadline',
      { from: acceptance.event, fromLabel: 'acceptance', ...decision },
      'requesting',
    )
    fields.transferDecisionDeadline = d
    if (f.transferDecisionServed && f.transferDecisionServed > d)
      log.add({
        subject: 'transferDecisionServed',
        date: f.transferDecisionServed,
        basis: decision.basis,
        note: `served after the deadline ${d}: a breach of duty without effect on responsibility`,
      })
  }

  const fromAcceptance = clock(
    'transferDeadlineFromAcceptance',
    {
      from: acceptance.event,
      fromLabel: acceptance.type === 'implicit' ? 'deemedAcceptedFrom' : 'reply.received (acceptance)',
      ...transfer,
    },
    'requesting',
  )
  let start = acceptance.event
  let startLabel = acceptance.type === 'implicit' ? 'deemedAcceptedFrom' : 'acceptance'
  let suspended = false

  const appeal = f.appeal
  if (appeal?.suspensiveEffect) {
    const began = appeal.urgentApplicationFiled ?? appeal.suspensiveEffectOrdered ?? appeal.actionFiled
    if (began && began > fromAcceptance) {
      log.add({
        subject: 'suspensiveEffect',
        date: began,
        basis: rules.suspensiveEffectBasis,
        note: `suspensive effect began ${began}, after the transfer period had expired (${fromAcceptance}): it cannot restart an expired period`,
      })
    } else if (appeal.suspensiveEffectEnded) {
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
    log.add({
      subject: 'suspensiveEffect',
      value: false,
      basis: rules.suspensiveEffectBasis,
      note: 'an appeal without suspensive effect (in Germany: an action without a timely urgent application, § 75 AsylG) does not affect the transfer period',
    })
  }
  if (f.authoritySuspension)
    log.add({
      subject: 'authoritySuspension',
      date: f.authoritySuspension.from,
      basis: 'Dublin III Art. 27(4); CJEU C-245/21 & C-248/21 (applied to the AMMR by analogy)',
      note: `a suspension decided by the authority for its own reasons${f.authoritySuspension.reason ? ` (${f.authoritySuspension.reason})` : ''} does not interrupt the transfer period`,
    })

  fields.transferPeriodStart = start
  fields.extensionApplied = null
  if (suspended) return { kind: 'suspended', executed: f.transferExecuted }
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
  const ext = f.extensionNotified
  if (ext) {
    const rule = rules.extension(ext.ground)
    const ground = groundEstablished(p, ext.date)
    let refused: string | undefined
    if (!rule) refused = `"${ext.ground}" is not an extension ground under ${c.ruleSet}`
    else if (ext.date > deadline) refused = `notified ${ext.date}, after the 6-month period ended ${deadline}`
    else if (!ground.ok) refused = ground.why
    if (refused || !rule) {
      log.add({
        subject: 'extensionApplied',
        value: null,
        basis: rule?.basis ?? rules.extensionNoticeBasis,
        note: `no extension: ${refused}`,
      })
    } else {
      fields.transferDeadlineBeforeExtension = deadline
      fields.extensionApplied = ext.ground
      log.rename('transferDeadline', 'transferDeadlineBeforeExtension')
      log.add({
        subject: 'extensionApplied',
        value: ext.ground,
        basis: rules.extensionNoticeBasis,
        note: `notified ${ext.date}, within the 6-month period ending ${deadline}; ${ground.why}`,
      })
      deadline = clock(
        'transferDeadline',
        { from: start, fromLabel: startLabel, ...rule },
        'requesting',
        'counted from the same start as the 6 months; the maximum extension is computed',
      )
    }
  }
  fields.transferDeadline = deadline

  const executed = f.transferExecuted
  if (executed === undefined) {
    p.missing.push('transferExecuted')
    log.add({
      subject: 'transferExecuted',
      value: null,
      basis: 'silence is not absence',
      note: 'transferExecuted is unknown (absent, not stated as null): it decides the outcome and is not assumed',
    })
    return { kind: 'unknown', deadline }
  }
  if (executed === null)
    return f.asOf <= deadline ? { kind: 'pending', deadline } : { kind: 'expired', deadline }
  return executed <= deadline ? { kind: 'executed', deadline } : { kind: 'executedLate', deadline }
}

/** Runs the procedure phases that the facts reach. */
export function runProcedure(c: CaseContext, rules: ProceduralRules, log: ExplanationLog): ProcedureResult {
  const fields: Partial<DublinAssessment> = {}
  const p: Phase = { c, rules, clock: createDeadlineClock(c, rules, log), log, fields, missing: [] }
  const request = requestPhase(p)
  const result: ProcedureResult = { requestType: c.requestType, fields, request, missingFacts: p.missing }
  const barred = request.timely === false && request.lateEffect.kind !== 'none'
  if (!request.sent || barred) return result
  result.reply = replyPhase(p, request.sent)
  let acceptance: Acceptance | undefined
  if (result.reply.kind === 'accepted') acceptance = result.reply.acceptance
  if (result.reply.kind === 'rejected') {
    result.reexamination = reexaminationPhase(p, result.reply.on)
    if (result.reexamination.kind === 'accepted') acceptance = result.reexamination.acceptance
  }
  if (acceptance) result.transfer = transferPhase(p, acceptance)
  return result
}
