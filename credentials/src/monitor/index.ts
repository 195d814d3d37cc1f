// Public surface of the deadline monitor (pure; the issuer serves it, the wallet shows it).
export {
  DEADLINE_FIELDS,
  DEADLINE_KINDS,
  type DeadlineKind,
  type DeadlineRow,
  daysBetween,
  isTimeZone,
  openDeadlines,
  todayIn,
} from './deadlines.ts'
export { type CaseFacts, caseFactsFromMilestones } from './case-facts.ts'
