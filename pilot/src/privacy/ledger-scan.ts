import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { type CanaryHit, type CanaryNeedle, searchBytes, searchText } from './canaries.ts'

/**
 * Everything the ledger node stores and serves, searched for canaries: the bytes of its SQLite
 * files (database, WAL, journal), every row of every table, and every document its public REST and
 * JSON-RPC read APIs serve (registries crawled by following their links, every block with its
 * transactions and receipts).
 */

export interface ScanStats {
  files: number
  fileBytes: number
  tables: number
  rows: number
  documents: number
  documentBytes: number
  blocks: number
  transactions: number
  /** Links the node listed but answered with an error status (shown, searched, not followed). */
  unreadable: string[]
}

/** The ledger's SQLite files and tables. */
export function scanLedgerDatabase(dataDir: string, needles: readonly CanaryNeedle[], stats: ScanStats): CanaryHit[] {
  const hits: CanaryHit[] = []
  const files = readdirSync(dataDir).filter((f) => /^ledger\.db(-wal|-shm|-journal)?$/.test(f))
  if (!files.includes('ledger.db')) throw new Error(`no ledger.db in ${dataDir}`)
  for (const file of files) {
    const bytes = readFileSync(join(dataDir, file))
    stats.files++
    stats.fileBytes += bytes.length
    hits.push(...searchBytes(bytes, needles, file))
  }
  const db = new Database(join(dataDir, 'ledger.db'), { readonly: true, fileMustExist: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    for (const { name } of tables) {
      stats.tables++
      for (const row of db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).iterate() as Iterable<Record<string, unknown>>) {
        stats.rows++
        const text = JSON.stringify(row, (_key, value) =>
          Buffer.isBuffer(value) ? `hex:${value.toString('hex')}` : typeof value === 'bigint' ? value.toString() : value,
        )
        hits.push(...searchText(text, needles, `table ${name}`))
        for (const value of Object.values(row))
          if (Buffer.isBuffer(value)) hits.push(...searchBytes(value, needles, `table ${name} (binary column)`))
      }
    }
  } finally {
    db.close()
  }
  return hits
}

/** The REST list endpoints of the EBSI APIs the node serves (crawled from here). */
export const ledgerListEndpoints = [
  '/did-registry/v5/identifiers',
  '/trusted-issuers-registry/v5/issuers',
  '/trusted-schemas-registry/v3/schemas',
  '/timestamp/v4/timestamps',
  '/timestamp/v4/hash-algorithms',
  '/trusted-policies-registry/v3/users',
  '/trusted-policies-registry/v3/policies',
  '/authorisation/v4/.well-known/openid-configuration',
  '/authorisation/v4/jwks',
  '/authorisation/v4/presentation-definitions',
]

/** A document the ledger served, and where it came from. */
export interface ServedDocument {
  where: string
  text: string
}

/**
 * Reads everything the ledger serves: crawls the registries (following every link to the ledger's
 * own origin) and reads every block with its transactions and receipts. It only reads; searching is
 * the caller's, afterwards (see scanLedgerForCanaries).
 */
export async function crawlLedger(
  ledgerUrl: string,
  stats: ScanStats,
  options: { maxDocuments?: number } = {},
): Promise<ServedDocument[]> {
  const origin = new URL(ledgerUrl).origin
  const documents: ServedDocument[] = []
  const seen = new Set<string>()
  const queue = ledgerListEndpoints.map((path) => `${origin}${path}`)
  const max = options.maxDocuments ?? 20_000
  const record = (where: string, text: string) => {
    stats.documents++
    stats.documentBytes += text.length
    documents.push({ where, text })
  }
  const links = (value: unknown, out: string[]) => {
    if (typeof value === 'string') {
      if (value.startsWith(origin)) out.push(value)
    } else if (Array.isArray(value)) for (const v of value) links(v, out)
    else if (value && typeof value === 'object') for (const v of Object.values(value)) links(v, out)
  }
  while (queue.length && seen.size < max) {
    const batch = queue.splice(0, 16).filter((url) => {
      const key = url.replace(/#.*$/, '')
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    // A document that cannot be read fails the scan (fail closed).
    const fetched = await Promise.all(
      batch.map(async (url) => {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(30_000) })
          return { url, ok: response.ok, status: response.status, text: await response.text() }
        } catch (error) {
          throw new Error(`could not read ${url}: ${describeFetchError(error)}`)
        }
      }),
    )
    for (const { url, ok, status, text } of fetched) {
      record(url, text)
      if (!ok) {
        // a listed link that the node does not serve (e.g. a proxy whose target is down) is noted, not followed
        stats.unreadable.push(`${status} ${url}`)
        continue
      }
      try {
        const found: string[] = []
        links(JSON.parse(text), found)
        for (const link of found) {
          const clean = link.replace(/#.*$/, '')
          if (!seen.has(clean)) queue.push(clean)
        }
      } catch {
        // not JSON (e.g. a status list JWT behind a TIR proxy): searched as text later
      }
    }
  }
  // Blocks with full transactions, and each transaction's receipt.
  const rpc = async (calls: { method: string; params: unknown[] }[]) => {
    const where = `${origin}/ledger/v4/blockchains/besu ${calls[0]?.method}`
    let text: string
    try {
      const response = await fetch(`${origin}/ledger/v4/blockchains/besu`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: '2.0', id, ...c }))),
        signal: AbortSignal.timeout(30_000),
      })
      text = await response.text()
    } catch (error) {
      throw new Error(`could not read ${where}: ${describeFetchError(error)}`)
    }
    record(`ledger rpc ${calls[0]?.method}`, text)
    return JSON.parse(text) as { id: number; result?: { number?: string; transactions?: (string | { hash: string })[] } | null }[]
  }
  const [latest] = await rpc([{ method: 'eth_getBlockByNumber', params: ['latest', false] }])
  const head = Number.parseInt(String(latest?.result?.number ?? '0x0'), 16)
  for (let start = 0; start <= head; start += 50) {
    const numbers = Array.from({ length: Math.min(50, head - start + 1) }, (_, i) => start + i)
    const blocks = await rpc(numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [`0x${n.toString(16)}`, true] })))
    stats.blocks += blocks.length
    const txHashes = blocks.flatMap((b) =>
      (b.result?.transactions ?? []).map((tx) => (typeof tx === 'string' ? tx : tx.hash)),
    )
    stats.transactions += txHashes.length
    for (let i = 0; i < txHashes.length; i += 50) {
      const slice = txHashes.slice(i, i + 50)
      await rpc(slice.map((hash) => ({ method: 'eth_getTransactionByHash', params: [hash] })))
      await rpc(slice.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash] })))
    }
  }
  return documents
}

/** fetch's "fetch failed" with the network error beneath it (e.g. UND_ERR_SOCKET: other side closed). */
function describeFetchError(error: unknown): string {
  const { message, cause } = error as { message?: string; cause?: { code?: string; message?: string } }
  if (!cause || typeof cause !== 'object') return String(message)
  return `${message} (${[cause.code, cause.message].filter(Boolean).join(': ')})`
}

/** Scans the ledger's storage and its served documents. */
export async function scanLedgerForCanaries(args: {
  ledgerUrl: string
  dataDir: string
  needles: readonly CanaryNeedle[]
}): Promise<{ hits: CanaryHit[]; stats: ScanStats; corpus: string[] }> {
  if (!existsSync(args.dataDir)) throw new Error(`no ledger data directory ${args.dataDir}`)
  const stats: ScanStats = { files: 0, fileBytes: 0, tables: 0, rows: 0, documents: 0, documentBytes: 0, blocks: 0, transactions: 0, unreadable: [] }
  // Every HTTP read first, every synchronous search afterwards. A search takes seconds; run between
  // requests, it kept the event loop from noticing that the ledger had closed pooled keep-alive
  // connections meanwhile (its keep-alive timeout), and the next request was written onto a dead
  // socket: "fetch failed" (UND_ERR_SOCKET, other side closed).
  const served = await crawlLedger(args.ledgerUrl, stats)
  const stored = scanLedgerDatabase(args.dataDir, args.needles, stats)
  const servedHits = served.flatMap(({ where, text }) => searchText(text, args.needles, where))
  return { hits: [...stored, ...servedHits], stats, corpus: served.map(({ text }) => text) }
}
