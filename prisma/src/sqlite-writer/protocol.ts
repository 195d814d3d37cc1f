/** A parameter of a statement the writer thread runs: a value, or text it stores compressed. */
export type WriteParameter = string | number | bigint | null | Uint8Array | { compress: string }

/** One statement with its positional parameters. */
export interface WriteStatement {
  sql: string
  params: WriteParameter[]
}

export interface WriterStartData {
  path: string
  busyTimeoutMs: number
}

export type WriterRequest = { id: number; statements: WriteStatement[] } | { id: number; close: true }

export type WriterReply =
  | { id: number; ok: true; changes: number[] }
  | { id: number; ok: false; message: string; code?: string }
