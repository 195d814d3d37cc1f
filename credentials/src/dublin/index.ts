// Public surface of the Dublin assessment.
export { assessDublinCase } from './assess.ts'
export {
  DUBLIN_STATUSES,
  type DublinAssessment,
  type DublinStatus,
  type ExplanationEntry,
} from './assessment.ts'
export { DublinError, DublinFactsInconsistent, DublinFactsInvalid, DublinOptionsInvalid } from './errors.ts'
export {
  type DublinFacts,
  dublinFactsSchema,
  EXTENSION_GROUNDS,
  type ExtensionGround,
  parseDublinFacts,
} from './facts.ts'
export { type DublinAssessmentOptions, type ResolvedDublinOptions, resolveDublinOptions } from './options.ts'
export * from './rule-sets.ts'
export * from '../calendar/index.ts'
