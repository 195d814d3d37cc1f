// Status and responsibility at `asOf`, derived from what happened in each phase (Dublin III,
// Reg. 604/2013; AMMR, Reg. 2024/1351; absences per docs/DUBLIN-ABSENCE.md §2). Where an unknown fact would decide, the status is INSUFFICIENT_EVIDENCE and the
// responsible state is given only if every possible value of that fact leads to the same state.
import { addDays, type IsoDate, latest } from '../calendar/iso-date.ts'
import { absentThrough, eventValue } from './absence.ts'
import type { DublinAssessment, DublinStatus } from './assessment.ts'
import type { ExplanationLog } from './explanation.ts'
import type { DublinFacts } from './facts.ts'
import type { ProcedureResult } from './procedure.ts'
import type { ProceduralRules } from './procedural-rules.ts'

export type StatusResult = Pick<
  DublinAssessment,
  | 'status'
  | 'statusAsOf'
  | 'responsibleState'
  | 'responsibilityShifted'
  | 'requestingStateResponsibleFrom'
  | 'mustOfferNewApplication'
  | 'detentionMustEnd'
>

type Derivation = {
  status?: DublinStatus
  responsible: 'requesting' | 'requested' | null
  shifted?: boolean
  from?: IsoDate
  /** The day the status rests on (an absence established only up to then). */
  asOf?: IsoDate
  basis: string
  note: string
}

const REEXAMINATION_BASIS = 'Reg. 1560/2003 Art. 5(2); Reg. 2025/2055 Art. 9(2), 15(3)'

function derivePhases(f: DublinFacts, rules: ProceduralRules, r: ProcedureResult): Derivation {
  const { request } = r
  const late = request.lateEffect
  const afterRequestWindow = (from: IsoDate) =>
    request.deadline ? latest(from, addDays(request.deadline, 1)) : from
  const takeBack = r.requestType === 'TBN'
  const notSent = request.notSentThrough

  if (request.timely === false && late.kind === 'requestingStateResponsible')
    return {
      status: 'REQUEST_TIME_BARRED',
      responsible: 'requesting',
      shifted: true,
      from: addDays(request.deadline!, 1),
      basis: late.basis,
      note: `request deadline ${request.deadline} missed${request.sent ? ` (sent ${request.sent})` : ` (no request sent up to ${notSent})`}: responsibility lies with the requesting state from the day after, whatever the reply`,
    }
  if (request.timely === false && late.kind === 'offerNewApplication')
    return {
      status: 'REQUEST_TIME_BARRED',
      responsible: null,
      basis: late.basis,
      note: `request deadline ${request.deadline} missed: the person must be given the opportunity to lodge a new application, on which responsibility will be determined afresh`,
    }
  if (!request.deadline && late.kind !== 'none')
    return {
      status: 'INSUFFICIENT_EVIDENCE',
      responsible: null,
      basis: late.basis,
      note: 'the request deadline cannot be computed, and whether it was met decides responsibility',
    }
  if (notSent !== undefined) {
    const requested = late.kind === 'none' && takeBack
    return {
      status: 'AWAITING_REQUEST',
      responsible: requested ? 'requested' : null,
      asOf: notSent,
      basis: late.basis,
      note: `no request sent up to ${notSent}${request.deadline ? `; request deadline ${request.deadline}${request.timely === false ? ' (passed: a late notification has no effect)' : ''}` : ''}${requested ? '; the state indicated in Eurodac remains obliged to take back' : ''}`,
    }
  }
  if (!r.reply)
    return {
      status: 'INSUFFICIENT_EVIDENCE',
      responsible: null,
      basis: 'silence is not absence (docs/DUBLIN-ABSENCE.md §1)',
      note: 'whether the request was sent is unknown (requestSent is absent): it decides the outcome',
    }
  const reply = r.reply
  if (reply.kind === 'unknown')
    return {
      status: 'INSUFFICIENT_EVIDENCE',
      responsible: null,
      basis: 'silence is not absence (docs/DUBLIN-ABSENCE.md §1)',
      note: 'the reply is unknown',
    }
  if (reply.kind === 'noDeadline')
    return {
      status: 'INSUFFICIENT_EVIDENCE',
      responsible: null,
      basis: 'docs/DUBLIN-ABSENCE.md §5',
      note: 'no reply is known and the reply deadline cannot be computed without the request date',
    }
  if (reply.kind === 'pending')
    return {
      status: 'AWAITING_REPLY',
      responsible: null,
      asOf: reply.asOf,
      basis: 'reply period (see replyDeadline)',
      note: `the reply period was running on ${reply.asOf}`,
    }
  if (reply.kind === 'rejected') {
    const re = r.reexamination!
    // After a failed TBN the notified state showed cessation or a wrong Eurodac indication: who is
    // responsible then depends on that ground, which the facts do not carry.
    const responsibleAfterFailure = takeBack ? null : 'requesting'
    const why = takeBack
      ? 'responsibility depends on the ground of the non-confirmation (Art. 37 cessation or an incorrect Eurodac indication; Reg. 2025/2055 Art. 15-16)'
      : 'the requesting state remains responsible unless it can still make a new request within its own request period (CJEU C-47/17 X and X)'
    switch (re.kind) {
      case 'windowOpen':
        return {
          status: 'REEXAMINATION_POSSIBLE',
          responsible: null,
          asOf: re.asOf,
          basis: REEXAMINATION_BASIS,
          note: `negative reply received; a re-examination could still be requested on ${re.asOf} (deadline: reexaminationRequestDeadline)`,
        }
      case 'pending':
        return {
          status: 'AWAITING_REPLY',
          responsible: null,
          asOf: re.asOf,
          basis: REEXAMINATION_BASIS,
          note: `awaiting the reply to the re-examination on ${re.asOf}`,
        }
      case 'unknown':
        return {
          status: 'INSUFFICIENT_EVIDENCE',
          responsible: null,
          basis: 'silence is not absence (docs/DUBLIN-ABSENCE.md §1)',
          note:
            re.what === 'reexamination'
              ? 'whether a re-examination was requested is unknown'
              : 'the reply to the re-examination is unknown',
        }
      case 'rejectedFinal':
        return {
          status: 'REJECTED_FINAL',
          responsible: responsibleAfterFailure,
          shifted: false,
          from: responsibleAfterFailure ? afterRequestWindow(re.from) : undefined,
          basis: REEXAMINATION_BASIS,
          note: `the rejection is final; ${why}`,
        }
      case 'closedNoReply':
        return {
          status: 'REEXAMINATION_CLOSED_NO_REPLY',
          responsible: responsibleAfterFailure,
          shifted: false,
          from: responsibleAfterFailure ? afterRequestWindow(re.from) : undefined,
          basis: 'CJEU C-47/17 & C-48/17 X and X; Reg. 2025/2055 Art. 9(2), 15(3)',
          note: `no reply within the re-examination period: the procedure is definitively closed, silence is not acceptance; ${why}`,
        }
      case 'accepted':
        break
    }
  }
  const t = r.transfer!
  const expiry = rules.transferExpiryBasis
  const earliestNote = r.transferDeadlineLowerBound ? ' at the earliest (a later deadline is possible)' : ''
  switch (t.kind) {
    case 'suspended':
      if (t.executed)
        return {
          status: 'TRANSFER_EXECUTED',
          responsible: 'requested',
          basis: expiry,
          note: `transfer executed ${t.executed} while the transfer period was interrupted`,
        }
      if (t.absentThrough === undefined)
        return {
          status: 'INSUFFICIENT_EVIDENCE',
          responsible: 'requested',
          basis: expiry,
          note: 'transfer period interrupted by suspensive effect; whether the transfer took place is unknown, the requested state is responsible either way',
        }
      return {
        status: 'TRANSFER_PENDING',
        responsible: 'requested',
        asOf: t.absentThrough,
        basis: expiry,
        note: 'transfer period interrupted by suspensive effect',
      }
    case 'unknown':
      return f.asOf <= t.deadline
        ? {
            status: 'INSUFFICIENT_EVIDENCE',
            responsible: 'requested',
            basis: expiry,
            note: `transfer deadline ${t.deadline}${earliestNote} not yet passed: the requested state is responsible whether or not the transfer took place`,
          }
        : {
            status: 'INSUFFICIENT_EVIDENCE',
            responsible: null,
            basis: expiry,
            note: `transfer deadline ${t.deadline}${earliestNote} passed: whether the transfer took place in time decides responsibility`,
          }
    case 'pending':
      return {
        status: 'TRANSFER_PENDING',
        responsible: 'requested',
        asOf: t.asOf,
        basis: expiry,
        note: `no transfer up to ${t.asOf}; transfer possible until ${t.deadline}${earliestNote}`,
      }
    case 'open':
      return {
        status: 'INSUFFICIENT_EVIDENCE',
        responsible: null,
        basis: expiry,
        note: `no transfer up to ${t.through}, after the earliest transfer deadline ${t.deadline}, but the deadline itself is not established (unknown: ${t.missing.join(', ')}): whether responsibility passed is open`,
      }
    case 'executed':
      return {
        status: 'TRANSFER_EXECUTED',
        responsible: 'requested',
        basis: expiry,
        note: `transfer executed ${t.on}, in time (deadline ${t.deadline})`,
      }
    case 'executedLate':
      return {
        status: 'TRANSFER_EXECUTED_LATE',
        responsible: 'requesting',
        shifted: true,
        from: addDays(t.deadline, 1),
        basis: expiry,
        note: `transfer executed ${t.on}, after the deadline ${t.deadline}: responsibility had already passed to the requesting state`,
      }
    case 'expired':
      if (t.viaMaximum)
        return {
          status: 'TRANSFER_DEADLINE_EXPIRED',
          responsible: 'requesting',
          shifted: true,
          basis: expiry,
          note: `no transfer even by the latest possible deadline ${t.viaMaximum} (whether the period was extended is unknown): responsibility has passed to the requesting state, at the latest from ${addDays(t.viaMaximum, 1)}`,
        }
      return {
        status: 'TRANSFER_DEADLINE_EXPIRED',
        responsible: 'requesting',
        shifted: true,
        // Counted from an acceptance whose request date is unknown, the deadline is only the
        // latest possible one: so is the day responsibility passed, which is therefore not given.
        from: r.fields.transferDeadlineIsUpperBound ? undefined : addDays(t.deadline, 1),
        basis: expiry,
        note: r.fields.transferDeadlineIsUpperBound
          ? `no transfer by ${t.deadline}, the latest possible transfer deadline: responsibility has passed to the requesting state, at the latest from ${addDays(t.deadline, 1)}`
          : `no transfer by ${t.deadline}: responsibility passes automatically to the requesting state`,
      }
  }
}

/**
 * The phases' status, unless an unknown request date decides it (docs/DUBLIN-ABSENCE.md §5): a
 * reply was known but the request's timeliness, the reply deadline or the transfer deadline depends
 * on the missing request date.
 */
function derive(f: DublinFacts, rules: ProceduralRules, r: ProcedureResult): Derivation {
  const d = derivePhases(f, rules, r)
  const { request } = r
  if (!request.sentUnknown || !r.reply) return d
  const timelinessOpen = request.timely === undefined && request.lateEffect.kind !== 'none'
  const reply = r.reply
  const t = r.transfer
  const lowest = r.transferDeadlineLowest
  // With an upper-bound deadline, expiry is certain, and so are a pending transfer or a transfer
  // in time up to the earliest deadline the unknown request date allows.
  const certainDespiteUpperBound =
    t?.kind === 'expired' ||
    (lowest !== undefined &&
      ((t?.kind === 'pending' && t.asOf <= lowest) || (t?.kind === 'executed' && t.on <= lowest)))
  const replyTimingOpen =
    (reply.kind === 'rejected' && reply.timingUnknown === true) ||
    (reply.kind === 'accepted' && reply.acceptance.upperBound === true && !certainDespiteUpperBound)
  if (!timelinessOpen && !replyTimingOpen) return d
  // A late request makes the requesting state responsible: the state is certain only if the
  // procedure leads there too.
  const responsible =
    d.responsible === 'requesting' &&
    !replyTimingOpen &&
    (!timelinessOpen || request.lateEffect.kind === 'requestingStateResponsible')
      ? 'requesting'
      : null
  return {
    status: 'INSUFFICIENT_EVIDENCE',
    responsible,
    basis: 'docs/DUBLIN-ABSENCE.md §5',
    note: `the request date is unknown: ${[
      timelinessOpen ? 'whether the request was in time' : '',
      replyTimingOpen ? 'whether the reply came within the reply period' : '',
    ]
      .filter(Boolean)
      .join(
        ' and ',
      )} decides the outcome; with a request in time the status would be ${d.status ?? 'none'} (${d.note})`,
  }
}

/** Whether detention may continue: any missed detention limit ends it (Art. 28(3); AMMR Art. 44(3)). */
function detentionMustEnd(f: DublinFacts, r: ProcedureResult): { value?: boolean; note?: string } {
  if (f.detained !== true) return {}
  const { request, fields } = r
  const d = request.detentionDeadline
  if (
    d &&
    ((request.sent && request.sent > d) ||
      (request.notSentThrough !== undefined && request.notSentThrough >= d && f.asOf > d))
  )
    return { value: true, note: `request deadline in detention ${d} missed` }
  if (d && f.asOf > d && !request.sent && (request.sentUnknown || (request.notSentThrough ?? d) < d))
    return { note: `whether the request was sent within the detention limit ${d} is unknown` }
  const td = fields.detentionTransferDeadline
  if (td && f.asOf > td) {
    const executed = eventValue(f.transferExecuted)
    const through = absentThrough(f.transferExecuted, f.asOf)
    if ((executed && executed > td) || (through !== undefined && through >= td))
      return { value: true, note: `transfer deadline in detention ${td} missed` }
    if (!executed) return { note: 'whether the transfer took place within the detention limit is unknown' }
  }
  return { value: false }
}

export function deriveStatus(
  f: DublinFacts,
  rules: ProceduralRules,
  r: ProcedureResult,
  log: ExplanationLog,
): StatusResult {
  const d = derive(f, rules, r)
  const responsibleState =
    d.responsible === 'requesting'
      ? f.requestingState
      : d.responsible === 'requested'
        ? f.requestedState
        : null
  const out: StatusResult = { responsibleState, responsibilityShifted: d.shifted ?? false }
  if (d.status) out.status = d.status
  if (d.status && d.asOf && d.asOf < f.asOf) out.statusAsOf = d.asOf
  if (responsibleState === f.requestingState && d.from) out.requestingStateResponsibleFrom = d.from
  if (f.requestType === 'TBR_ART24' && rules.id === 'DUBLIN_III')
    out.mustOfferNewApplication = r.request.timely === false
  const detention = detentionMustEnd(f, r)
  if (detention.value !== undefined) out.detentionMustEnd = detention.value
  log.add({
    subject: 'status',
    value: d.status ?? null,
    basis: d.basis,
    note: out.statusAsOf
      ? `${d.note}; status as of ${out.statusAsOf} (the absence is established only up to that day)`
      : d.note,
  })
  if (out.statusAsOf)
    log.add({
      subject: 'statusAsOf',
      date: out.statusAsOf,
      basis: 'docs/DUBLIN-ABSENCE.md §2',
      note: `the status rests on an absence established only up to ${out.statusAsOf}, before asOf ${f.asOf}`,
    })
  log.add({
    subject: 'responsibleState',
    value: responsibleState,
    basis: d.basis,
    note: out.requestingStateResponsibleFrom
      ? `requesting state responsible from ${out.requestingStateResponsibleFrom}`
      : undefined,
  })
  if (f.detained === true)
    log.add({
      subject: 'detentionMustEnd',
      value: detention.value ?? null,
      basis: rules.id === 'AMMR' ? 'AMMR Art. 44(3), 45' : 'Dublin III Art. 28(3)',
      note: detention.note,
    })
  return out
}
