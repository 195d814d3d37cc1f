import type { VerificationReport } from './report.ts'

const serialized = new WeakMap<VerificationReport, string>()

/**
 * A report's JSON, computed once: a new report is both stored and sent back, and for a whole case
 * serialising it is a sizeable part of the request. Reports are not changed once built.
 */
export function reportJson(report: VerificationReport): string {
  let json = serialized.get(report)
  if (json === undefined) {
    json = JSON.stringify(report)
    serialized.set(report, json)
  }
  return json
}
