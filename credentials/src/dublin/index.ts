// Public surface of the Dublin assessment.
export {
  type AbsenceReading,
  absentThrough,
  type EventFact,
  type EventValue,
  happened,
  isNotBy,
  type NotBy,
  readAbsence,
  isUnknown,
  eventValue,
} from './absence.ts'
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
  type DublinReply,
  dublinFactsSchema,
  EVENT_FACTS,
  type EurodacHit,
  EXTENSION_GROUNDS,
  type ExtensionGround,
  parseDublinFacts,
} from './facts.ts'
export { type DublinAssessmentOptions, type ResolvedDublinOptions, resolveDublinOptions } from './options.ts'
export * from './rule-sets.ts'
export * from '../calendar/index.ts'
