import type { IssuerClient, IssuerTx, Principal } from './context.ts'

/**
 * The audit log: who (actor type and id, authority), what (action), when, which case id, outcome.
 * By construction it takes no free text: claims, file numbers, Eurodac references, holder DIDs and
 * passwords cannot reach it. Append-only: the issuer never updates or deletes a row.
 */
export interface AuditEntry {
  action: string
  caseId?: string | null
  /** Id of the object acted on (milestone id, staff id, token id); never a personal value. */
  subjectId?: string | null
  outcome?: 'ok' | 'refused'
}

export async function audit(
  db: IssuerTx | IssuerClient,
  who: Principal | { authorityId: string | null; actorType: string; actorId: string },
  entry: AuditEntry,
): Promise<void> {
  await db.auditEvent.create({
    data: {
      authorityId: who.authorityId,
      actorType: who.actorType,
      actorId: who.actorId,
      action: entry.action,
      caseId: entry.caseId ?? null,
      subjectId: entry.subjectId ?? null,
      outcome: entry.outcome ?? 'ok',
    },
  })
}

/** Reads an authority's audit events, newest first (admins only; checked by the caller). */
export async function readAudit(
  db: IssuerClient,
  authorityId: string,
  args: { limit: number; before?: number },
) {
  const rows = await db.auditEvent.findMany({
    where: { authorityId, ...(args.before ? { id: { lt: args.before } } : {}) },
    orderBy: { id: 'desc' },
    take: args.limit,
  })
  return rows.map((row) => ({ ...row, at: row.at.toISOString() }))
}
