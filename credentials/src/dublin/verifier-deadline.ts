// The deadline of a third-state verifier (e.g. the French Dublin unit, where the person turned up
// after the requesting and requested states dealt with the case) for its own take back. Its rule set
// follows its own application (or, without one, its Eurodac hit), which can differ from the case's.
import { createDeadlineClock } from './deadline-clock.ts'
import type { ExplanationLog } from './explanation.ts'
import type { ResolvedDublinOptions } from './options.ts'
import type { CaseContext } from './procedural-rules.ts'
import { ammrRules } from './ammr-rules.ts'
import { dublinIIIRules } from './dublin-iii-rules.ts'

export function verifierTakeBackDeadline(
  c: Omit<CaseContext, 'ruleSet'>,
  options: ResolvedDublinOptions,
  responsibleState: string | null,
  log: ExplanationLog,
): string | undefined {
  const v = c.facts.verifier
  if (!v) return undefined
  if (v.state === c.facts.requestingState || v.state === c.facts.requestedState) {
    log.add({
      subject: 'verifierTakeBackRequestDeadline',
      value: null,
      basis: 'third-state verifier only',
      note: `the verifier ${v.state} is a party to this case, not a third state`,
    })
    return undefined
  }
  const own = v.applicationLodgedInVerifierState ?? v.eurodacHitReceivedByVerifier
  if (!own) {
    log.add({
      subject: 'verifierTakeBackRequestDeadline',
      value: null,
      basis: 'Dublin III Art. 23(2); AMMR Art. 41(1)',
      note: 'neither an application in the verifier state nor a Eurodac hit received by it is given',
    })
    return undefined
  }
  const rules = own >= options.cutOff ? ammrRules : dublinIIIRules
  const spec = rules.verifierTakeBack(v.eurodacHitReceivedByVerifier, v.applicationLodgedInVerifierState)
  if (!spec) {
    log.add({
      subject: 'verifierTakeBackRequestDeadline',
      value: null,
      basis: 'AMMR Art. 41(1)',
      note: 'under the AMMR the take back notification runs from a Eurodac hit, which is not given',
    })
    return undefined
  }
  const clock = createDeadlineClock({ ...c, ruleSet: rules.id }, rules, log)
  const addressee =
    responsibleState && responsibleState !== v.state
      ? `addressed to ${responsibleState}, responsible as of asOf`
      : 'addressed to the state responsible once determined'
  return clock(
    'verifierTakeBackRequestDeadline',
    spec,
    'verifier',
    `${v.state}'s own procedure follows ${rules.id} (its application/hit ${own} vs cut-off ${options.cutOff}); ${addressee}`,
  )
}
