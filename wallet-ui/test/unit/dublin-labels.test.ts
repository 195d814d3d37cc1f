import { describe, expect, it } from 'vitest'
import { acceptanceMessageKey, conflictMessageKeys, deemedFromMessageKey } from '../../src/lib/i18n/dublin.ts'
import { t } from '../../src/lib/i18n/messages.ts'

describe('Dublin labels', () => {
  it('an AMMR take back notification met with silence reads "receipt deemed confirmed", never "accepted"', () => {
    const tbn = { acceptanceType: 'implicit', deemedConfirmationOfReceipt: true } as const
    expect(acceptanceMessageKey(tbn)).toBe('acceptanceDeemedConfirmation')
    expect(deemedFromMessageKey(tbn)).toBe('deemedConfirmedFromLabel')
    for (const lang of ['en', 'de', 'fr'] as const) {
      expect(t(lang, acceptanceMessageKey(tbn))).not.toMatch(/accepted|angenommen|acceptée/i)
      expect(t(lang, acceptanceMessageKey(tbn))).toMatch(/41/)
    }
    expect(t('en', acceptanceMessageKey(tbn))).toMatch(/^receipt deemed confirmed/)
  })

  it('a silent take charge request reads as a deemed acceptance', () => {
    const tcr: { acceptanceType: 'implicit'; deemedConfirmationOfReceipt?: true } = { acceptanceType: 'implicit' }
    expect(acceptanceMessageKey(tcr)).toBe('acceptanceImplicit')
    expect(deemedFromMessageKey(tcr)).toBe('deemedAcceptedFromLabel')
    expect(acceptanceMessageKey({ acceptanceType: 'explicit' })).toBe('acceptanceExplicit')
    expect(acceptanceMessageKey({})).toBe('acceptanceNone')
  })

  it('says that a declaration overriding an attestation was used, unlike the disputes that leave a fact unknown', () => {
    for (const lang of ['en', 'de', 'fr'] as const) {
      const overrides = t(lang, conflictMessageKeys['declared-overrides-attestation'], { fact: 'X' })
      expect(overrides).toMatch(/^X/)
      expect(overrides).not.toMatch(/unknown|unbekannt|inconnu/)
      for (const reason of ['values-differ', 'event-within-absence', 'absence-after-issuance', 'declared-contradicts-credential'] as const)
        expect(t(lang, conflictMessageKeys[reason], { fact: 'X' })).toMatch(/unknown|unbekannt|inconnu/)
      expect(t(lang, 'requestReceivedDisputed')).not.toBe('')
    }
  })
})
