import type { MilestoneDefinition } from '../types.ts'
import { booleanClaim, dateClaim, dublinStateClaim, enumClaim } from '../vocabulary.ts'

/** Transfer to the responsible state executed. */
export const transferExecuted = {
  type: 'TransferExecutedMilestone',
  version: 1,
  stage: 'TRANSFER',
  title: {
    de: 'Überstellung durchgeführt',
    fr: 'Transfert effectué',
    en: 'Transfer executed',
  },
  description: 'The person was transferred to the responsible state (or the transfer is deemed carried out).',
  milestoneDateMeaning: 'Date of the transfer (departure / hand-over).',
  legalBasis: [
    'Art. 29 Reg. (EU) 604/2013',
    'Art. 7-8 Reg. (EC) 1560/2003',
    'Art. 46 Reg. (EU) 2024/1351',
    'Art. 24-26 Reg. (EU) 2025/2055',
  ],
  issuableBy: ['FOREIGNERS_AUTHORITY', 'FEDERAL_POLICE', 'BAMF_DUBLIN_UNIT', 'FOREIGN_DUBLIN_UNIT'],
  claims: {
    properties: {
      receivingState: dublinStateClaim('State to which the person was transferred.'),
      transferMode: enumClaim(['voluntary', 'supervisedDeparture', 'escorted'], 'Mode of the transfer.'),
      arrivalConfirmed: dateClaim('Date the receiving state confirmed arrival.'),
      deemedCarriedOut: booleanClaim(
        'Deemed carried out for lack of arrival or no-show information (Reg. 2025/2055 Art. 24(4), 25(6)).',
      ),
    },
    required: ['receivingState'],
  },
  feeds: [{ fact: '/transferExecuted', from: '/milestoneDate' }],
} as const satisfies MilestoneDefinition
