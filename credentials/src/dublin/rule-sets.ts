// Versioned rule-set identities and every period of both rule sets as a single named constant.
// A constant marked [verify] rests on a reading of the regulation text that could not be confirmed:
// change it here, in one place, once the consolidated EUR-Lex text has been checked.
import { months, type Period, weeks } from '../calendar/periods.ts'

export type RuleSetId = 'DUBLIN_III' | 'AMMR'

/** Identity and version of each rule set; a verifier recomputes only with the same version. */
export const RULE_SETS = {
  DUBLIN_III: {
    id: 'DUBLIN_III',
    version: 'DUBLIN_III/604-2013+1560-2003/1',
    title:
      'Dublin III: Reg. (EU) No 604/2013 with Reg. (EC) No 1560/2003 as amended by Reg. (EU) No 118/2014',
  },
  AMMR: {
    id: 'AMMR',
    version: 'AMMR/2024-1351+2025-2055/1',
    title: 'AMMR: Reg. (EU) 2024/1351 with Commission Implementing Reg. (EU) 2025/2055',
  },
} as const

/**
 * First day of the AMMR: applications registered from this day fall under it (Art. 84-85 AMMR and
 * Art. 83 repealing Dublin III, current EUR-Lex text). [verify] The corrigendum replacing the
 * original "1 July 2026" and the exact wording of corrected Art. 84(1)-(2) were not seen.
 */
export const DEFAULT_CUT_OFF = '2026-06-12'

// ---- Dublin III (Reg. 604/2013; Reg. 1560/2003) ------------------------------------------------

/** Art. 21(1) first subpara.: take charge request within 3 months of lodging. */
export const D3_TCR_FROM_LODGING: Period = months(3)
/** Art. 21(1) second subpara.: within 2 months of a Eurodac hit (category 2, Art. 14 Reg. 603/2013). */
export const D3_TCR_FROM_HIT: Period = months(2)
/** Art. 23(2) first sentence: take back request within 2 months of the Eurodac hit. */
export const D3_TBR_FROM_HIT: Period = months(2)
/** Art. 23(2) second sentence: without Eurodac evidence, within 3 months of lodging. */
export const D3_TBR_FROM_LODGING: Period = months(3)
/** Art. 24(2) first sentence: irregular stay, within 2 months of the Eurodac hit. */
export const D3_ART24_FROM_HIT: Period = months(2)
/** Art. 24(2) second sentence: otherwise within 3 months of becoming aware. */
export const D3_ART24_FROM_AWARENESS: Period = months(3)
/** Art. 28(3) first subpara.: in detention, request within 1 month of lodging. */
export const D3_DETENTION_REQUEST: Period = months(1)
/** Art. 22(1): reply to a take charge request within 2 months of receipt. */
export const D3_TCR_REPLY: Period = months(2)
/** Art. 22(6): urgent take charge request, reply at the latest within 1 month. */
export const D3_TCR_URGENT_REPLY: Period = months(1)
/** Art. 25(1) first sentence: reply to a take back request within 1 month. */
export const D3_TBR_REPLY: Period = months(1)
/** Art. 25(1) second sentence: 2 weeks where the request is based on Eurodac data. */
export const D3_TBR_EURODAC_REPLY: Period = weeks(2)
/** Art. 28(3) second subpara.: in detention, reply within 2 weeks. */
export const D3_DETENTION_REPLY: Period = weeks(2)
/** Art. 5(2) Reg. 1560/2003: re-examination requested within 3 weeks of the negative reply. */
export const D3_REEXAMINATION_REQUEST: Period = weeks(3)
/** Art. 5(2) Reg. 1560/2003; CJEU C-47/17 X and X: reply to a re-examination within 2 weeks. */
export const D3_REEXAMINATION_REPLY: Period = weeks(2)
/** Art. 29(1): transfer within 6 months. */
export const D3_TRANSFER: Period = months(6)
/** Art. 29(2): extension to at most one year for imprisonment. */
export const D3_EXTENSION_IMPRISONMENT: Period = months(12)
/** Art. 29(2): extension to at most 18 months for absconding. */
export const D3_EXTENSION_ABSCONDING: Period = months(18)
/** Art. 28(3) third subpara.: in detention, transfer within 6 weeks. */
export const D3_DETENTION_TRANSFER: Period = weeks(6)

// ---- AMMR (Reg. 2024/1351; Reg. 2025/2055) ---------------------------------------------------

/** Art. 39(1) first subpara.: take charge request within 2 months of registration. */
export const AMMR_TCR_FROM_REGISTRATION: Period = months(2)
/** Art. 39(1) second subpara.: within 1 month of a Eurodac (Arts 22, 24 Reg. 2024/1358) or VIS hit. */
export const AMMR_TCR_FROM_HIT: Period = months(1)
/** Art. 41(1): take back notification within 2 weeks of the Eurodac hit. */
export const AMMR_TBN_FROM_HIT: Period = weeks(2)
/** Art. 45(1) first subpara.: detained at registration, request/notification within 2 weeks. */
export const AMMR_DETENTION_REQUEST: Period = weeks(2)
/** Art. 45(1) second subpara.: detained after registration, within 1 week of placement. */
export const AMMR_DETENTION_REQUEST_AFTER_PLACEMENT: Period = weeks(1)
/** Art. 40(1): reply to a take charge request within 1 month. */
export const AMMR_TCR_REPLY: Period = months(1)
/** Art. 40(2): 2 weeks where the request is based on a Eurodac or VIS hit. */
export const AMMR_TCR_HIT_REPLY: Period = weeks(2)
/**
 * Art. 39(2), 40: urgent take charge request; the outer limit of the reply. [verify Art. 39(2)
 * first subpara. and Art. 40(6)-(7)] Assumed to be the ordinary month, i.e. urgency never extends
 * the reply period and the acceptance fiction follows the ordinary limits.
 */
export const AMMR_TCR_URGENT_REPLY: Period = months(1)
/** Art. 45(2): in detention, reply within 1 week; silence is acceptance. */
export const AMMR_DETENTION_REPLY: Period = weeks(1)
/**
 * Art. 41(3)-(4): confirmation of a take back notification within 2 weeks. [verify] No special
 * detention period for the confirmation was seen, so the 2 weeks also apply in detention.
 */
export const AMMR_TBN_CONFIRMATION: Period = weeks(2)
/** Art. 9(2) Reg. 2025/2055: re-examination requested within 3 weeks of the rejection. */
export const AMMR_REEXAMINATION_REQUEST: Period = weeks(3)
/** Art. 9(2) Reg. 2025/2055: the re-examination ends 2 weeks after it was requested. */
export const AMMR_REEXAMINATION_REPLY: Period = weeks(2)
/** Art. 15(3) Reg. 2025/2055: reconsideration of a non-confirmation requested within 2 weeks. */
export const AMMR_RECONSIDERATION_REQUEST: Period = weeks(2)
/** Art. 15(3) Reg. 2025/2055: the reconsideration ends 2 weeks after it was requested. */
export const AMMR_RECONSIDERATION_REPLY: Period = weeks(2)
/** Art. 42(1): transfer decision within 2 weeks of acceptance or confirmation. */
export const AMMR_TRANSFER_DECISION: Period = weeks(2)
/** Art. 46(1): transfer within 6 months. */
export const AMMR_TRANSFER: Period = months(6)
/** Art. 46(2): extension to at most one year for imprisonment. [verify] */
export const AMMR_EXTENSION_IMPRISONMENT: Period = months(12)
/**
 * Art. 46(2): extension to at most three years for absconding, physical resistance, intentional
 * unfitness or medical non-compliance. [verify] The length could not be confirmed.
 */
export const AMMR_EXTENSION_CONDUCT: Period = months(36)
/** Art. 45(3): in detention, transfer within 5 weeks. */
export const AMMR_DETENTION_TRANSFER: Period = weeks(5)
