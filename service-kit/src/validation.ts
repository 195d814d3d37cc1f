import type { z } from 'zod'
import { HttpProblem } from './problem.ts'

export interface InvalidParam {
  /** JSON-pointer-like path of the offending member, e.g. `/claims/sentOn`. */
  name: string
  reason: string
}

/** Parses untrusted input with a zod schema; a failure is a 400 problem naming every bad member. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, where: string): z.output<T> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const invalidParams: InvalidParam[] = result.error.issues.map((issue) => ({
    name: `/${issue.path.map(String).join('/')}`,
    reason: issue.message,
  }))
  const first = invalidParams[0]
  throw new HttpProblem(400, 'Bad Request', {
    type: 'https://flora-vc.eu/problems/invalid-input',
    detail: `Invalid ${where}: ${first ? `${first.name === '/' ? '' : `${first.name} `}${first.reason}` : 'rejected'}`,
    extensions: { 'invalid-params': invalidParams },
  })
}
