import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { composeSchema } from '../scripts/compose.ts'
import { defaultDatabaseUrl, parseDatabaseUrl } from '../src/database-url.ts'
import { providers, services } from '../src/index.ts'
import { migrationsDir } from '../src/layout.ts'

describe('one model source, two providers', () => {
  it.each(services.flatMap((s) => providers.map((p) => [s, p] as const)))(
    'the committed %s/%s migrations are current with the models',
    (service, provider) => {
      const snapshot = join(migrationsDir(service, provider), 'schema.snapshot.prisma')
      expect(existsSync(snapshot), `no migrations for ${service}/${provider}`).toBe(true)
      // A model change without `npm run migration:new -w @flora/db` fails here, not in production.
      expect(readFileSync(snapshot, 'utf8')).toBe(composeSchema(service, provider))
    },
  )

  it('composes the same model text for both providers', () => {
    for (const service of services) {
      const body = (provider: (typeof providers)[number]) =>
        composeSchema(service, provider).split('\n').slice(14).join('\n')
      expect(body('sqlite')).toBe(body('postgresql'))
    }
  })
})

describe('database URLs', () => {
  it('gives each service its own SQLite file by default', () => {
    const urls = services.map((s) => defaultDatabaseUrl(s, {}, '/srv/flora'))
    expect(urls).toEqual(services.map((s) => `file:/srv/flora/${s}.db`))
  })
  it('gives each service its own PostgreSQL schema from one DATABASE_URL', () => {
    const env = { DATABASE_URL: 'postgres://u@db:5432/flora' }
    expect(parseDatabaseUrl('issuer', defaultDatabaseUrl('issuer', env))).toMatchObject({
      provider: 'postgresql',
      schema: 'issuer',
    })
    expect(parseDatabaseUrl('verifier', defaultDatabaseUrl('verifier', env)).schema).toBe('verifier')
  })
  it('lets a service-specific variable win', () => {
    expect(
      defaultDatabaseUrl('ledger', {
        FLORA_LEDGER_DATABASE_URL: 'file:/x.db',
        DATABASE_URL: 'postgres://h/d',
      }),
    ).toBe('file:/x.db')
  })
  it('refuses an unsafe schema name', () => {
    expect(() => parseDatabaseUrl('issuer', 'postgres://h/d?schema=a;drop')).toThrow(/invalid schema/)
  })
})
