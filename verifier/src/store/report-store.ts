import { randomUUID } from 'node:crypto'
import { compressText, type Db, readStoredText, sqliteDateTime, type WriteParameter } from '@flora/db'
import type { VerificationReport } from '../report/report.ts'
import { reportJson } from '../report/report-json.ts'

/** One verification-log line: never a DID of a holder, a claim, a Eurodac number or a credential. */
export interface LogLine {
  actor: string
  action: string
  reportId?: string
  verdict?: string
  stepOutcomes: Record<string, number>
  durationMs: number
}

interface Pending {
  report?: {
    id: string
    createdBy: string
    source: string
    verdict: string
    credentials: number
    reportJson: string
    createdAt: Date
  }
  log: {
    id: string
    at: Date
    actor: string
    action: string
    reportId: string | null
    verdict: string | null
    stepOutcomes: string
    durationMs: number
  }
}

/**
 * Stores reports and log lines with group commit: concurrent verifications wait for one shared
 * transaction instead of one each, so the writes keep pace with the pipeline. A caller's promise
 * resolves only once its rows are committed.
 */
export class ReportStore {
  #queue: { item: Pending; resolve: () => void; reject: (e: unknown) => void }[] = []
  #flushing: Promise<void> | undefined

  constructor(private readonly db: Db<'verifier'>) {}

  save(report: VerificationReport | undefined, createdBy: string, log: LogLine): Promise<void> {
    const item: Pending = {
      ...(report
        ? {
            report: {
              id: report.id,
              createdBy,
              source: report.source,
              verdict: report.verdict,
              credentials: report.credentials.length,
              reportJson: reportJson(report),
              createdAt: new Date(report.createdAt),
            },
          }
        : {}),
      log: {
        id: randomUUID(),
        at: new Date(),
        actor: log.actor,
        action: log.action,
        reportId: log.reportId ?? null,
        verdict: log.verdict ?? null,
        stepOutcomes: JSON.stringify(log.stepOutcomes),
        durationMs: Math.round(log.durationMs),
      },
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject })
      this.#schedule()
    })
  }

  #schedule(): void {
    if (this.#flushing) return
    this.#flushing = new Promise<void>((done) => setImmediate(done)).then(async () => {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, 400)
        try {
          const reports = batch.flatMap((b) => (b.item.report ? [b.item.report] : []))
          const logs = batch.map((b) => b.item.log)
          if (this.db.provider === 'sqlite') await this.#insertSqlite(reports, logs)
          else
            await this.db.client.$transaction([
              ...(reports.length
                ? [
                    this.db.client.verificationReport.createMany({
                      data: reports.map((r) => ({ ...r, reportJson: packed(r.reportJson) })),
                    }),
                  ]
                : []),
              this.db.client.verificationLogEntry.createMany({ data: logs }),
            ])
          for (const b of batch) b.resolve()
        } catch (error) {
          for (const b of batch) b.reject(error)
        }
      }
      this.#flushing = undefined
    })
  }

  /**
   * SQLite: one transaction per batch on the writer thread (SqliteWriter), which also deflates the
   * large reports, so neither the commit nor the compression holds up the event loop serving the
   * verifications. DateTime as Prisma stores it on SQLite (ISO text with +00:00), so Prisma reads
   * these rows back as it wrote its own.
   */
  async #insertSqlite(reports: NonNullable<Pending['report']>[], logs: Pending['log'][]): Promise<void> {
    await this.db.sqliteWriter!.run([
      ...reports.map((r) => ({
        sql: 'INSERT INTO "VerificationReport" ("id","createdAt","createdBy","source","verdict","credentials","reportJson") VALUES (?,?,?,?,?,?,?)',
        params: [
          r.id,
          sqliteDateTime(r.createdAt),
          r.createdBy,
          r.source,
          r.verdict,
          r.credentials,
          packedParameter(r.reportJson),
        ],
      })),
      ...logs.map((l) => ({
        sql: 'INSERT INTO "VerificationLogEntry" ("id","at","actor","action","reportId","verdict","stepOutcomes","durationMs") VALUES (?,?,?,?,?,?,?,?)',
        params: [
          l.id,
          sqliteDateTime(l.at),
          l.actor,
          l.action,
          l.reportId,
          l.verdict,
          l.stepOutcomes,
          l.durationMs,
        ],
      })),
    ])
  }

  async get(id: string): Promise<VerificationReport | undefined> {
    const row = await this.db.client.verificationReport.findUnique({ where: { id } })
    return row ? unpackReport(row.reportJson) : undefined
  }

  async list(args: { limit: number; before?: Date }) {
    const rows = await this.db.client.verificationReport.findMany({
      where: args.before ? { createdAt: { lt: args.before } } : {},
      orderBy: { createdAt: 'desc' },
      take: args.limit,
      select: { id: true, createdAt: true, createdBy: true, source: true, verdict: true, credentials: true },
    })
    return rows
  }

  async log(args: { limit: number }) {
    const rows = await this.db.client.verificationLogEntry.findMany({
      orderBy: { at: 'desc' },
      take: args.limit,
    })
    return rows.map((r) => ({ ...r, stepOutcomes: JSON.parse(r.stepOutcomes) as Record<string, number> }))
  }
}

/**
 * Large reports (a whole case) are stored deflated (compressText): a 15-credential report shrinks
 * about tenfold, which is what SQLite writes to its WAL on commit. A one-credential report (~5 KB)
 * only halves, and deflating it costs more than writing the difference, so small reports stay
 * plain JSON; reading accepts both.
 */
const DEFLATE_FROM_BYTES = 16_384

const packed = (json: string): string => (json.length < DEFLATE_FROM_BYTES ? json : compressText(json))

/** {@link packed} for the writer thread, which does the deflating. */
const packedParameter = (json: string): WriteParameter =>
  json.length < DEFLATE_FROM_BYTES ? json : { compress: json }

function unpackReport(stored: string): VerificationReport {
  return JSON.parse(readStoredText(stored)) as VerificationReport
}
