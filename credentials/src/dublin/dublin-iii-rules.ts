// Dublin III (Reg. 604/2013 and Reg. 1560/2003): what each step's time limit is and what missing it
// does. Counting follows Art. 42, which has no roll-forward; the roll-forward is an option because
// its application via Reg. 1182/71 Art. 3(4) is contested (README.md, Interpretation choices).
import {
  detainedAtRequest,
  isTakeChargeHit,
  type PeriodSpec,
  type ProceduralRules,
} from './procedural-rules.ts'
import * as R from './rule-sets.ts'

export const dublinIIIRules: ProceduralRules = {
  id: 'DUBLIN_III',
  counting: 'Dublin III Art. 42(a)-(b)',
  rollsForward: (options) => options.rollForward,
  rollForwardBasis:
    'option rollForward: Reg. (EEC, Euratom) 1182/71 Art. 3(4) applied by analogy (contested)',
  earliestComponentBasis:
    'Dublin III Art. 21(1); CJEU C-670/16 Mengesteab (the periods are not cumulative: the earliest applies)',

  requestComponents(c) {
    const f = c.facts
    const out: ReturnType<ProceduralRules['requestComponents']> = []
    const hit = c.eurodacHit
    const lodging = c.applicationDate
    if (c.requestType === 'TCR') {
      if (lodging)
        out.push({
          key: 'requestDeadlineFromLodging',
          spec: {
            from: lodging,
            fromLabel: c.applicationDateLabel,
            period: R.D3_TCR_FROM_LODGING,
            basis: 'Dublin III Art. 21(1) first subpara.',
          },
        })
      if (hit && isTakeChargeHit(c))
        out.push({
          key: 'requestDeadlineFromHit',
          spec: {
            from: hit.received,
            fromLabel: 'eurodacHit.received',
            period: R.D3_TCR_FROM_HIT,
            basis: 'Dublin III Art. 21(1) second subpara. (Eurodac category 2 hit)',
          },
        })
    } else if (c.requestType === 'TBR') {
      // Art. 23(2) read literally: with a hit only the hit period counts, even if it ends after
      // lodging + 3 months (the Mengesteab cap was decided for Art. 21 only).
      if (hit)
        out.push({
          key: 'requestDeadlineFromHit',
          spec: {
            from: hit.received,
            fromLabel: 'eurodacHit.received',
            period: R.D3_TBR_FROM_HIT,
            basis: 'Dublin III Art. 23(2) first sentence',
            note: 'literal reading: no cap at lodging + 3 months (the cap by analogy with Mengesteab is the alternative, not applied)',
          },
        })
      else if (lodging)
        out.push({
          key: 'requestDeadlineFromLodging',
          spec: {
            from: lodging,
            fromLabel: c.applicationDateLabel,
            period: R.D3_TBR_FROM_LODGING,
            basis: 'Dublin III Art. 23(2) second sentence (evidence other than Eurodac)',
          },
        })
    } else if (c.requestType === 'TBR_ART24') {
      if (hit)
        out.push({
          key: 'requestDeadlineFromHit',
          spec: {
            from: hit.received,
            fromLabel: 'eurodacHit.received',
            period: R.D3_ART24_FROM_HIT,
            basis: 'Dublin III Art. 24(2) first sentence',
          },
        })
      else if (f.apprehendedIrregularStay)
        out.push({
          key: 'requestDeadlineFromAwareness',
          spec: {
            from: f.apprehendedIrregularStay,
            fromLabel: 'apprehendedIrregularStay',
            period: R.D3_ART24_FROM_AWARENESS,
            basis: 'Dublin III Art. 24(2) second sentence',
            note: 'the apprehension is taken as the day the requesting state became aware that another state may be responsible',
          },
        })
    }
    return out
  },

  detentionRequest(c): PeriodSpec | undefined {
    if (c.facts.detained !== true || !c.applicationDate) return undefined
    return {
      from: c.applicationDate,
      fromLabel: c.applicationDateLabel,
      period: R.D3_DETENTION_REQUEST,
      basis: 'Dublin III Art. 28(3) first subpara.',
      note: 'missing it ends detention only; Art. 21, 23 and 24 continue to apply (Art. 28(3) fourth subpara.)',
    }
  },

  lateRequestEffect(c) {
    if (c.requestType === 'TBR_ART24') return { kind: 'offerNewApplication', basis: 'Dublin III Art. 24(3)' }
    if (c.requestType === 'TBR')
      return { kind: 'requestingStateResponsible', basis: 'Dublin III Art. 23(3); CJEU C-670/16 Mengesteab' }
    return {
      kind: 'requestingStateResponsible',
      basis: 'Dublin III Art. 21(1) third subpara.; CJEU C-670/16 Mengesteab',
    }
  },

  replyPeriod(c) {
    if (detainedAtRequest(c))
      return { period: R.D3_DETENTION_REPLY, basis: 'Dublin III Art. 28(3) second subpara.' }
    if (c.requestType === 'TCR') {
      if (c.facts.urgent?.requested)
        return {
          period: R.D3_TCR_URGENT_REPLY,
          basis: 'Dublin III Art. 21(2), 22(6)',
          note: 'urgent: the requested state must make every effort to reply within the period requested; the acceptance fiction arises after 1 month (Art. 22(7))',
        }
      return { period: R.D3_TCR_REPLY, basis: 'Dublin III Art. 22(1)' }
    }
    if (c.eurodacHit)
      return {
        period: R.D3_TBR_EURODAC_REPLY,
        basis: 'Dublin III Art. 25(1) second sentence (request based on Eurodac data)',
      }
    return { period: R.D3_TBR_REPLY, basis: 'Dublin III Art. 25(1) first sentence' }
  },

  silenceBasis(c) {
    if (detainedAtRequest(c)) return 'Dublin III Art. 28(3) second subpara. (silence = acceptance)'
    return c.requestType === 'TCR'
      ? 'Dublin III Art. 22(7) (silence = acceptance)'
      : 'Dublin III Art. 25(2) (silence = acceptance)'
  },

  reexaminationRequest: () => ({
    period: R.D3_REEXAMINATION_REQUEST,
    basis: 'Reg. 1560/2003 Art. 5(2) first sentence',
  }),
  reexaminationReply: () => ({
    period: R.D3_REEXAMINATION_REPLY,
    basis:
      'Reg. 1560/2003 Art. 5(2); CJEU C-47/17 & C-48/17 X and X (silence closes the procedure, it is not acceptance)',
  }),
  transferDecision: () => undefined,
  transfer: () => ({ period: R.D3_TRANSFER, basis: 'Dublin III Art. 29(1) first subpara.' }),

  extension(ground) {
    if (ground === 'imprisonment')
      return {
        period: R.D3_EXTENSION_IMPRISONMENT,
        basis: 'Dublin III Art. 29(2) second sentence (imprisonment: at most one year)',
      }
    if (ground === 'absconding')
      return {
        period: R.D3_EXTENSION_ABSCONDING,
        basis: 'Dublin III Art. 29(2) second sentence (absconding: at most 18 months)',
      }
    return undefined
  },
  extensionNoticeBasis: 'Reg. 1560/2003 Art. 9(2) (inform before the 6 months expire); CJEU C-163/17 Jawo',
  detentionTransfer: () => ({
    period: R.D3_DETENTION_TRANSFER,
    basis: 'Dublin III Art. 28(3) third subpara.',
    note: 'missing it ends detention; Art. 29 continues to apply (Art. 28(3) fourth subpara.)',
  }),
  transferExpiryBasis: 'Dublin III Art. 29(2) first sentence; CJEU C-201/16 Shiri',
  suspensiveEffectBasis:
    'Dublin III Art. 29(1), 27(3); CJEU C-19/08 Petrosian; BVerwG 1 C 22.15 (a new, full period)',

  verifierTakeBack(hit, application) {
    if (hit)
      return {
        from: hit,
        fromLabel: 'verifier.eurodacHitReceivedByVerifier',
        period: R.D3_TBR_FROM_HIT,
        basis: "Dublin III Art. 23(2) first sentence (the verifier state's own take back request)",
      }
    if (application)
      return {
        from: application,
        fromLabel: 'verifier.applicationLodgedInVerifierState',
        period: R.D3_TBR_FROM_LODGING,
        basis: "Dublin III Art. 23(2) second sentence (the verifier state's own take back request)",
      }
    return undefined
  },
}
