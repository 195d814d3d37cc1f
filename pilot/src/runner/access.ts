import { readFileSync } from 'node:fs'
import type { DemoAccountsFile } from '../bootstrap/index.ts'
import type { PilotAccess } from './execute.ts'
import { callJson } from './http.ts'

/**
 * Turns the bootstrap's demo accounts into what the runner uses, the way the people would: each
 * authority's admin signs in to the issuer and creates an API token for its case-management system;
 * the French Dublin officer signs in to the verifier.
 */
export async function pilotAccessFromAccounts(
  urls: { ledgerUrl: string; issuerUrl: string; verifierUrl: string },
  accountsFile: string,
  authorityNames: Record<string, string> = {},
): Promise<PilotAccess> {
  const accounts = (JSON.parse(readFileSync(accountsFile, 'utf8')) as DemoAccountsFile).accounts
  const issuerTokens: Record<string, string> = {}
  await Promise.all(
    accounts
      .filter((a) => a.service === 'issuer' && a.role === 'admin' && a.authority)
      .map(async (account) => {
        issuerTokens[account.authority!] = await issuerApiToken(urls.issuerUrl, {
          authorityId: account.authority!,
          username: account.username,
          password: account.password,
        })
      }),
  )
  const officer = accounts.find((a) => a.service === 'verifier' && a.role === 'officer')
  if (!officer) throw new Error(`no verifier officer account in ${accountsFile}`)
  // The verifier sets its session token only as an httpOnly cookie; the runner, a script rather
  // than a browser, presents it as a bearer token (no Origin needed for those).
  const verifierToken = (
    await sessionCookie(
      urls.verifierUrl,
      { username: officer.username, password: officer.password },
      'flora_verifier_session',
    )
  ).value
  return { ...urls, issuerTokens, verifierToken, authorityNames }
}

/**
 * Logs in at a service and returns its session cookie (name=value, to send back as it is). The
 * cookie is `name`, or `__Host-name` from a service whose public URL is https. `credentials` is the
 * login body: at the issuer it names the authority (usernames are unique per authority only).
 */
async function sessionCookie(
  baseUrl: string,
  credentials: { username: string; password: string; authorityId?: string },
  name: string,
): Promise<{ pair: string; value: string }> {
  const login = await fetch(`${baseUrl}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  })
  await login.text()
  if (!login.ok) throw new Error(`login of ${credentials.username} at ${baseUrl} answered ${login.status}`)
  const pair = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`) || c.startsWith(`__Host-${name}=`))
  if (!pair) throw new Error(`${baseUrl} set no ${name} cookie`)
  return { pair, value: pair.slice(pair.indexOf('=') + 1) }
}

/** Signs in to the issuer at an authority (session cookie) and creates a staff API token for a system. */
export async function issuerApiToken(
  issuerUrl: string,
  account: { authorityId: string; username: string; password: string },
): Promise<string> {
  const session = await sessionCookie(issuerUrl, account, 'flora_session')
  // a change made with the session cookie names the origin it is made for, as a page of the issuer would
  const created = await callJson<{ token: string }>('POST', `${issuerUrl}/admin/api-tokens`, {
    headers: { cookie: session.pair, origin: new URL(issuerUrl).origin },
    body: { name: 'pilot case-management system', role: 'staff' },
  })
  return created.token
}
