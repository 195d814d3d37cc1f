// AMMR (Reg. 2024/1351 with Reg. 2025/2055): time limits of each step and their effects. Counting
// follows Art. 75, whose point (d) always rolls a deadline ending on a Saturday, Sunday or official
// holiday of the member state concerned to the next working day.
import {
  detainedAtRequest,
  isTakeChargeHit,
  type PeriodSpec,
  type ProceduralRules,
} from './procedural-rules.ts'
import * as R from './rule-sets.ts'

const CONDUCT_GROUNDS = new Set([
  'absconding',
  'physicalResistance',
  'intentionalUnfitness',
  'medicalNonCompliance',
])

export const ammrRules: ProceduralRules = {
  id: 'AMMR',
  counting: 'AMMR Art. 75(a)-(c)',
  rollsForward: () => true,
  rollForwardBasis: 'AMMR Art. 75(d)',
  earliestComponentBasis:
    'AMMR Art. 39(1); earliest of the periods by analogy with CJEU C-670/16 Mengesteab (not decided for the AMMR)',

  requestComponents(c) {
    const hit = c.eurodacHit
    if (c.requestType === 'TBN') {
      if (!hit) return []
      return [
        {
          key: 'requestDeadlineFromHit',
          spec: {
            from: hit.received,
            fromLabel: 'eurodacHit.received',
            period: R.AMMR_TBN_FROM_HIT,
            basis: 'AMMR Art. 41(1) first sentence',
          },
        },
      ]
    }
    const out: ReturnType<ProceduralRules['requestComponents']> = []
    if (c.applicationDate)
      out.push({
        key: 'requestDeadlineFromLodging',
        spec: {
          from: c.applicationDate,
          fromLabel: c.applicationDateLabel,
          period: R.AMMR_TCR_FROM_REGISTRATION,
          basis: 'AMMR Art. 39(1) first subpara. (counted from registration)',
        },
      })
    if (hit && isTakeChargeHit(c))
      out.push({
        key: 'requestDeadlineFromHit',
        spec: {
          from: hit.received,
          fromLabel: 'eurodacHit.received',
          period: R.AMMR_TCR_FROM_HIT,
          basis: 'AMMR Art. 39(1) second subpara. (Eurodac hit, Arts 22/24 Reg. 2024/1358)',
        },
      })
    return out
  },

  detentionRequest(c): PeriodSpec | undefined {
    const f = c.facts
    if (f.detained !== true) return undefined
    const note =
      'missing it ends detention only (Art. 44(3)); the ordinary periods keep running and responsibility is unaffected [verify whether Art. 45 says so expressly]'
    if (f.detainedFrom && c.applicationDate && f.detainedFrom > c.applicationDate)
      return {
        from: f.detainedFrom,
        fromLabel: 'detainedFrom',
        period: R.AMMR_DETENTION_REQUEST_AFTER_PLACEMENT,
        basis: 'AMMR Art. 45(1) second subpara.',
        note,
      }
    if (c.applicationDate)
      return {
        from: c.applicationDate,
        fromLabel: c.applicationDateLabel,
        period: R.AMMR_DETENTION_REQUEST,
        basis: 'AMMR Art. 45(1) first subpara.',
        note,
      }
    if (c.eurodacHit)
      return {
        from: c.eurodacHit.received,
        fromLabel: 'eurodacHit.received',
        period: R.AMMR_DETENTION_REQUEST,
        basis: 'AMMR Art. 45(1) first subpara. (no new application registered: from the Eurodac hit)',
        note,
      }
    return undefined
  },

  lateRequestEffect(c) {
    if (c.requestType === 'TBN')
      return {
        kind: 'none',
        basis:
          'AMMR Art. 41(1) second sentence (a late notification does not affect the obligation to take back)',
      }
    const minor = c.facts.unaccompaniedMinor
    const continuation =
      minor?.bestInterestsContinuation === true &&
      (!minor.firstDecisionOnSubstance || !c.requestSent || c.requestSent < minor.firstDecisionOnSubstance)
    if (continuation)
      return {
        kind: 'none',
        basis:
          'AMMR Art. 39(1) fourth subpara. (unaccompanied minor: request despite expiry, in the best interests of the child, before a first decision on the substance)',
      }
    return {
      kind: 'requestingStateResponsible',
      basis: 'AMMR Art. 39(1) third subpara. (the state where the application was registered)',
    }
  },

  replyPeriod(c) {
    if (c.requestType === 'TBN') return { period: R.AMMR_TBN_CONFIRMATION, basis: 'AMMR Art. 41(3)' }
    if (detainedAtRequest(c)) return { period: R.AMMR_DETENTION_REPLY, basis: 'AMMR Art. 45(2)' }
    if (isTakeChargeHit(c))
      return { period: R.AMMR_TCR_HIT_REPLY, basis: 'AMMR Art. 40(2) (request based on a Eurodac hit)' }
    if (c.facts.urgent?.requested)
      return {
        period: R.AMMR_TCR_URGENT_REPLY,
        basis: 'AMMR Art. 39(2), 40 [verify]',
        note: 'urgent: the requested period (at least one week) binds as a duty of effort; the acceptance fiction is assumed to follow the ordinary month [verify Art. 40(6)-(7)]',
      }
    return { period: R.AMMR_TCR_REPLY, basis: 'AMMR Art. 40(1)' }
  },

  silenceBasis(c) {
    if (c.requestType === 'TBN') return 'AMMR Art. 41(4) (silence is tantamount to confirming receipt)'
    if (detainedAtRequest(c)) return 'AMMR Art. 45(2) (silence = acceptance)'
    return 'AMMR Art. 40 (silence = acceptance) [verify paragraph; Reg. 2025/2055 Art. 9(2) cites Art. 40(1) and (7)]'
  },

  reexaminationRequest(c) {
    if (c.requestType === 'TBN')
      return {
        period: R.AMMR_RECONSIDERATION_REQUEST,
        basis: 'Reg. 2025/2055 Art. 15(3) (reconsideration of a non-confirmation)',
      }
    return { period: R.AMMR_REEXAMINATION_REQUEST, basis: 'Reg. 2025/2055 Art. 9(2)' }
  },
  reexaminationReply(c) {
    if (c.requestType === 'TBN')
      return {
        period: R.AMMR_RECONSIDERATION_REPLY,
        basis: 'Reg. 2025/2055 Art. 15(3) (expiry ends the procedure; silence is not confirmation)',
      }
    return {
      period: R.AMMR_REEXAMINATION_REPLY,
      basis: 'Reg. 2025/2055 Art. 9(2) (expiry ends the re-examination; silence is not acceptance)',
    }
  },
  transferDecision: () => ({
    period: R.AMMR_TRANSFER_DECISION,
    basis: 'AMMR Art. 42(1)',
    note: 'no effect on responsibility is attached to missing it',
  }),
  transfer: () => ({ period: R.AMMR_TRANSFER, basis: 'AMMR Art. 46(1) first subpara.' }),

  extension(ground) {
    if (ground === 'imprisonment')
      return {
        period: R.AMMR_EXTENSION_IMPRISONMENT,
        basis: 'AMMR Art. 46(2) (imprisonment: at most one year) [verify]',
      }
    if (CONDUCT_GROUNDS.has(ground))
      return {
        period: R.AMMR_EXTENSION_CONDUCT,
        basis:
          'AMMR Art. 46(2) (absconding, physical resistance, intentional unfitness, medical non-compliance: at most three years) [verify]',
      }
    return undefined
  },
  extensionNoticeBasis:
    'Reg. 2025/2055 Art. 28(3) (within the 6-month period; a late notice is treated as barring the extension, as under Reg. 1560/2003 Art. 9(2): contested)',
  detentionTransfer: () => ({
    period: R.AMMR_DETENTION_TRANSFER,
    basis: 'AMMR Art. 45(3)',
    note: 'missing it ends detention (Art. 44(3)); the 6-month period continues (Art. 37(1) refers to Art. 46 only)',
  }),
  transferExpiryBasis: 'AMMR Art. 37(1) (the transferring state becomes responsible)',
  suspensiveEffectBasis:
    'AMMR Art. 46(1), 43(3) (from the final decision on an appeal with suspensive effect)',

  verifierTakeBack(hit) {
    if (!hit) return undefined
    return {
      from: hit,
      fromLabel: 'verifier.eurodacHitReceivedByVerifier',
      period: R.AMMR_TBN_FROM_HIT,
      basis:
        "AMMR Art. 41(1) (the verifier state's own take back notification; lateness has no effect on responsibility)",
    }
  },
}
