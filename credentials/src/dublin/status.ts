// Status and responsibility at `asOf`, derived from what happened in each phase (DUBLIN.md §2.3,
// AMMR.md §4). Where an unknown fact would decide, the status is INSUFFICIENT_EVIDENCE and the
// responsible state is given only if every possible value of that fact leads to the same state.
import { addDays, type IsoDate, latest } from '../calendar/iso-date.ts'
import type { DublinAssessment, DublinStatus } from './assessment.ts'
import type { ExplanationLog } from './explanation.ts'
import type { DublinFacts } from './facts.ts'
import type { ProcedureResult } from './procedure.ts'
import type { ProceduralRules } from './procedural-rules.ts'

export type StatusResult = Pick<
  DublinAssessment,
  | 'status'
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
  basis: string
  note: string
}

function derive(f: DublinFacts, rules: ProceduralRules, r: ProcedureResult): Derivation {
  const { request } = r
  const late = request.lateEffect
  const afterRequestWindow = (from: IsoDate) =>
    request.deadline ? latest(from, addDays(request.deadline, 1)) : from
  const takeBack = r.requestType === 'TBN'

  if (request.timely === false && late.kind === 'requestingStateResponsible')
    return {
      status: 'REQUEST_TIME_BARRED',
      responsible: 'requesting',
      shifted: true,
      from: addDays(request.deadline!, 1),
      basis: late.basis,
      note: `request deadline ${request.deadline} missed${request.sent ? ` (sent ${request.sent})` : ''}: responsibility lies with the requesting state from the day after, whatever the reply`,
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
  if (!request.sent) {
    const requested = late.kind === 'none' && r.requestType === 'TBN'
    return {
      responsible: requested ? 'requested' : null,
      basis: late.basis,
      note: `no request sent by asOf${request.deadline ? `; request deadline ${request.deadline}` : ''}: no status applies before the request${requested ? '; the state indicated in Eurodac remains obliged to take back (a late notification has no effect)' : ''}`,
    }
  }
  const reply = r.reply!
  if (reply.kind === 'unknown')
    return {
      status: 'INSUFFICIENT_EVIDENCE',
      responsible: null,
      basis: 'silence is not absence',
      note: 'the reply is unknown',
    }
  if (reply.kind === 'pending')
    return {
      status: 'AWAITING_REPLY',
      responsible: null,
      basis: 'reply period (see replyDeadline)',
      note: 'the reply period is running',
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
          responsible: null,
          basis: 'Reg. 1560/2003 Art. 5(2); Reg. 2025/2055 Art. 9(2), 15(3)',
          note: 'negative reply received; a re-examination can still be requested: no status applies in between',
        }
      case 'pending':
        return {
          status: 'AWAITING_REPLY',
          responsible: null,
          basis: 'Reg. 1560/2003 Art. 5(2); Reg. 2025/2055 Art. 9(2), 15(3)',
          note: 'awaiting the reply to the re-examination',
        }
      case 'unknown':
        return {
          status: 'INSUFFICIENT_EVIDENCE',
          responsible: null,
          basis: 'silence is not absence',
          note: 'the reply to the re-examination is unknown',
        }
      case 'rejectedFinal':
        return {
          status: 'REJECTED_FINAL',
          responsible: responsibleAfterFailure,
          shifted: false,
          from: responsibleAfterFailure ? afterRequestWindow(re.from) : undefined,
          basis: 'Reg. 1560/2003 Art. 5(2); Reg. 2025/2055 Art. 9(2), 15(3)',
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
  switch (t.kind) {
    case 'suspended':
      if (t.executed)
        return {
          status: 'TRANSFER_EXECUTED',
          responsible: 'requested',
          basis: expiry,
          note: `transfer executed ${t.executed} while the transfer period was interrupted`,
        }
      if (t.executed === undefined)
        return {
          status: 'INSUFFICIENT_EVIDENCE',
          responsible: 'requested',
          basis: expiry,
          note: 'transfer period interrupted by suspensive effect; whether the transfer took place is unknown, the requested state is responsible either way',
        }
      return {
        status: 'TRANSFER_PENDING',
        responsible: 'requested',
        basis: expiry,
        note: 'transfer period interrupted by suspensive effect',
      }
    case 'unknown':
      return f.asOf <= t.deadline
        ? {
            status: 'INSUFFICIENT_EVIDENCE',
            responsible: 'requested',
            basis: expiry,
            note: `transfer deadline ${t.deadline} not yet passed: the requested state is responsible whether or not the transfer took place`,
          }
        : {
            status: 'INSUFFICIENT_EVIDENCE',
            responsible: null,
            basis: expiry,
            note: `transfer deadline ${t.deadline} passed: whether the transfer took place in time decides responsibility`,
          }
    case 'pending':
      return {
        status: 'TRANSFER_PENDING',
        responsible: 'requested',
        basis: expiry,
        note: `transfer possible until ${t.deadline}`,
      }
    case 'executed':
      return {
        status: 'TRANSFER_EXECUTED',
        responsible: 'requested',
        basis: expiry,
        note: `transfer executed ${f.transferExecuted}, in time (deadline ${t.deadline})`,
      }
    case 'executedLate':
      return {
        status: 'TRANSFER_EXECUTED_LATE',
        responsible: 'requesting',
        shifted: true,
        from: addDays(t.deadline, 1),
        basis: expiry,
        note: `transfer executed ${f.transferExecuted}, after the deadline ${t.deadline}: responsibility had already passed to the requesting state`,
      }
    case 'expired':
      return {
        status: 'TRANSFER_DEADLINE_EXPIRED',
        responsible: 'requesting',
        shifted: true,
        from: addDays(t.deadline, 1),
        basis: expiry,
        note: `no transfer by ${t.deadline}: responsibility passes automatically to the requesting state`,
      }
  }
}

/** Whether detention may continue: any missed detention limit ends it (Art. 28(3); AMMR Art. 44(3)). */
function detentionMustEnd(f: DublinFacts, r: ProcedureResult): { value?: boolean; note?: string } {
  if (f.detained !== true) return {}
  const { request, fields } = r
  const d = request.detentionDeadline
  if (d && ((request.sent && request.sent > d) || (!request.sent && f.asOf > d)))
    return { value: true, note: `request deadline in detention ${d} missed` }
  const td = fields.detentionTransferDeadline
  if (td && f.asOf > td) {
    if (f.transferExecuted === undefined)
      return { note: 'whether the transfer took place within the detention limit is unknown' }
    if (f.transferExecuted === null || f.transferExecuted > td)
      return { value: true, note: `transfer deadline in detention ${td} missed` }
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
  if (responsibleState === f.requestingState && d.from) out.requestingStateResponsibleFrom = d.from
  if (f.requestType === 'TBR_ART24' && rules.id === 'DUBLIN_III')
    out.mustOfferNewApplication = r.request.timely === false
  const detention = detentionMustEnd(f, r)
  if (detention.value !== undefined) out.detentionMustEnd = detention.value
  log.add({ subject: 'status', value: d.status ?? null, basis: d.basis, note: d.note })
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
