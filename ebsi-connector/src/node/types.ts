import type { Db } from '@flora/db'

/** The ledger's Prisma client (SQLite and PostgreSQL clients share this API). */
export type LedgerDb = Db<'ledger'>['client']

/** A Prisma interactive-transaction client (same model API as LedgerDb). */
export type LedgerTx = Omit<LedgerDb, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>
