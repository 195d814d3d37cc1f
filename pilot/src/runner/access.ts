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
        issuerTokens[account.authority!] = await issuerApiToken(urls.issuerUrl, account.username, account.password)
      }),
  )
  const officer = accounts.find((a) => a.service === 'verifier' && a.role === 'officer')
  if (!officer) throw new Error(`no verifier officer account in ${accountsFile}`)
  const session = await callJson<{ token: string }>('POST', `${urls.verifierUrl}/session`, {
    body: { username: officer.username, password: officer.password },
  })
  return { ...urls, issuerTokens, verifierToken: session.token, authorityNames }
}

/** Signs in to the issuer (session cookie) and creates a staff API token for a system. */
export async function issuerApiToken(issuerUrl: string, username: string, password: string): Promise<string> {
  const login = await fetch(`${issuerUrl}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  await login.text()
  if (login.status !== 201) throw new Error(`issuer login of ${username} answered ${login.status}`)
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('flora_session='))
  if (!cookie) throw new Error('the issuer set no session cookie')
  const created = await callJson<{ token: string }>('POST', `${issuerUrl}/admin/api-tokens`, {
    headers: { cookie },
    body: { name: 'pilot case-management system', role: 'staff' },
  })
  return created.token
}
