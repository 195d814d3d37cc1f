// Errors of the Dublin assessment, in jose's manner: one class per failure, a stable `code`.

/** Base of every failure raised by the Dublin assessment. */
export class DublinError extends Error {
  code = 'ERR_DUBLIN'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** The facts do not match the input schema (wrong type, malformed date, unknown field, …). */
export class DublinFactsInvalid extends DublinError {
  override code = 'ERR_DUBLIN_FACTS_INVALID'
  /** One line per problem, each naming the field (`reply.received: …`). */
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`invalid Dublin facts: ${problems.join('; ')}`)
    this.problems = problems
  }
}

/** The facts are well-formed but contradict each other or the evaluation date. */
export class DublinFactsInconsistent extends DublinError {
  override code = 'ERR_DUBLIN_FACTS_INCONSISTENT'
  readonly field: string
  constructor(field: string, message: string) {
    super(`inconsistent Dublin facts: "${field}" ${message}`)
    this.field = field
  }
}

/** The assessment options are invalid. */
export class DublinOptionsInvalid extends DublinError {
  override code = 'ERR_DUBLIN_OPTIONS_INVALID'
}
