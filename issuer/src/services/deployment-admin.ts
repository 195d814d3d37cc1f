import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseDatabaseUrl } from '@flora/db'
import { NotAuthenticated } from '../errors.ts'

/** Name of the generated deployment-admin token file in the issuer's data directory. */
export const ADMIN_TOKEN_FILE = 'issuer-admin-token'

/**
 * The deployment administrator's credential (the party that runs this issuer deployment and
 * onboards its tenant authorities): `FLORA_ISSUER_ADMIN_TOKEN`, or — on embedded defaults — a random
 * token generated once into `<data dir>/issuer-admin-token` (mode 0600) and read from there on
 * every later start. Never a fixed default. The data directory is the SQLite database's directory
 * (PostgreSQL: `FLORA_DATA_DIR`, else ./data).
 */
export function resolveDeploymentAdminToken(
  configured: string | undefined,
  databaseUrl: string,
  env: Record<string, string | undefined> = process.env,
): { token: string; file?: string } {
  if (configured) return { token: configured }
  const location = parseDatabaseUrl('issuer', databaseUrl)
  const dir =
    location.provider === 'sqlite' ? dirname(location.target) : resolve(env.FLORA_DATA_DIR ?? 'data')
  const file = join(dir, ADMIN_TOKEN_FILE)
  return { token: readOrCreateSecretFile(file, () => `fla_${randomBytes(32).toString('base64url')}`), file }
}

/** Reads a one-line secret file, or creates it (0600, exclusive: a concurrent start reads the winner's). */
export function readOrCreateSecretFile(file: string, generate: () => string): string {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  mkdirSync(dirname(file), { recursive: true })
  try {
    writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return readFileSync(file, 'utf8').trim()
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/** A check of `Authorization: Bearer <token>` against the deployment-admin token (constant time). */
export function deploymentAdminGuard(token: string): (authorization: string | undefined) => void {
  const expected = digest(token)
  return (authorization) => {
    const presented = authorization?.match(/^Bearer (.+)$/)?.[1]
    if (!presented || !timingSafeEqual(digest(presented), expected))
      throw new NotAuthenticated('the deployment-admin token is required')
  }
}

/** The audit actor of the deployment administrator. */
export const DEPLOYMENT_ADMIN = { actorType: 'deployment-admin', actorId: 'deployment-admin' } as const
