import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appDir } from '../../scripts/ensure-build.ts'
import { type RunningApp, startApp } from '../browser/app.ts'
import { launchChromium } from '../browser/chromium.ts'

/**
 * Items 8 and 10 through the wallet UI, in Chromium: the sign-in relays each attempt to the
 * issuer or verifier, which counted nothing. Now the wallet counts sign-ins per browser address in
 * its own database, forwards the browser's address (the services trust the wallet as their proxy
 * here) and the service's device cookie, and shows "too many attempts" on a 429. The verifier's
 * session comes from its cookie; cookie-authenticated changes at the issuer carry the Origin.
 */
const repoRoot = resolve(appDir, '..')
const ADMIN_TOKEN = 'wallet-security-test-deployment-admin-token-0123456789'
const VERIFIER_ADMIN = { username: 'admin', password: 'verifier admin password' }
const CLERK = { username: 'clerk@lds.test', password: 'issuer clerk password', authority: 'lds' }
/** The same username at another authority: another account, another person. */
const NAMESAKE = { username: 'clerk@lds.test', password: 'the namesake password', authority: 'zab' }

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const server = createServer()
    server.unref()
    server.on('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      )
    })
  })

const children: ChildProcess[] = []

/** A service as deployed: its `src/main.ts` in a process of its own. */
async function startService(entry: string, env: Record<string, string>, url: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { ...process.env, FLORA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  children.push(child)
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/health`)).ok) return
    } catch {}
    if (i > 600) throw new Error(`${entry} did not start within 60 s`)
    await new Promise((done) => setTimeout(done, 100))
  }
}

let dataDir: string
let issuerUrl: string
let browser: Browser
let app: RunningApp
let setup: Promise<void>

beforeAll(() => {
  setup = (async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'flora-wallet-security-'))
    const [issuerPort, verifierPort] = [await freePort(), await freePort()]
    issuerUrl = `http://127.0.0.1:${issuerPort}`
    const verifierUrl = `http://127.0.0.1:${verifierPort}`
    for (const dir of ['issuer', 'verifier', 'wallet']) mkdirSync(join(dataDir, dir))
    await Promise.all([
      startService(
        'issuer/src/main.ts',
        {
          FLORA_ISSUER_PORT: String(issuerPort),
          FLORA_ISSUER_PUBLIC_URL: issuerUrl,
          FLORA_DATA_DIR: join(dataDir, 'issuer'),
          FLORA_ISSUER_DATABASE_URL: `file:${join(dataDir, 'issuer', 'issuer.db')}`,
          FLORA_LEDGER_URL: 'http://127.0.0.1:9',
          FLORA_ISSUER_ADMIN_TOKEN: ADMIN_TOKEN,
          FLORA_ISSUER_ANCHOR_INTERVAL_MS: '3600000',
          FLORA_ISSUER_TRUSTED_PROXIES: '127.0.0.1',
        },
        issuerUrl,
      ),
      startService(
        'verifier/src/main.ts',
        {
          FLORA_VERIFIER_PORT: String(verifierPort),
          FLORA_VERIFIER_PUBLIC_URL: verifierUrl,
          FLORA_DATA_DIR: join(dataDir, 'verifier'),
          FLORA_VERIFIER_DATABASE_URL: `file:${join(dataDir, 'verifier', 'verifier.db')}`,
          FLORA_LEDGER_URL: 'http://127.0.0.1:9',
          FLORA_VERIFIER_ADMIN_PASSWORD: VERIFIER_ADMIN.password,
          // the wallet is the verifier's reverse proxy for sign-ins: its X-Forwarded-For counts
          FLORA_VERIFIER_TRUSTED_PROXIES: '127.0.0.1',
        },
        verifierUrl,
      ),
    ])
    const asDeploymentAdmin = (path: string, body: unknown) =>
      fetch(`${issuerUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify(body),
      })
    expect(
      (
        await asDeploymentAdmin('/admin/authorities', {
          id: 'lds',
          name: 'Landesdirektion Sachsen',
          role: 'RECEPTION_AUTHORITY',
        })
      ).status,
    ).toBe(201)
    expect(
      (
        await asDeploymentAdmin('/admin/authorities', {
          id: 'zab',
          name: 'ZAB Sachsen',
          role: 'FOREIGNERS_AUTHORITY',
        })
      ).status,
    ).toBe(201)
    for (const account of [CLERK, NAMESAKE])
      expect(
        (
          await asDeploymentAdmin(`/admin/authorities/${account.authority}/staff`, {
            username: account.username,
            password: account.password,
            role: 'staff',
          })
        ).status,
      ).toBe(201)
    browser = await launchChromium()
    app = await startApp({
      FLORA_ISSUER_URL: issuerUrl,
      FLORA_VERIFIER_URL: verifierUrl,
      FLORA_LEDGER_URL: 'http://127.0.0.1:9',
      FLORA_DATA_DIR: join(dataDir, 'wallet'),
      FLORA_WALLET_DATABASE_URL: `file:${join(dataDir, 'wallet', 'wallet.db')}`,
      // a reverse proxy in front of the wallet: adapter-node reads the browser's address from it
      ADDRESS_HEADER: 'x-forwarded-for',
      XFF_DEPTH: '1',
      // below the verifier's 30 per address, so that the wallet's own count shows
      FLORA_WALLET_SIGNIN_THROTTLE: 'client=12',
    })
  })()
  setup.catch(() => {}) // reported by each test that awaits it
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await Promise.all(
    children.map(
      (child) =>
        new Promise((done) => {
          if (child.exitCode !== null) return done(undefined)
          child.once('exit', done)
          child.kill('SIGTERM')
        }),
    ),
  )
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

/** A browser (own cookies) at a given address, as the proxy in front of the wallet reports it. */
async function browserAt(address: string) {
  await setup
  const context = await browser.newContext({
    locale: 'en-US',
    extraHTTPHeaders: { 'x-forwarded-for': address },
  })
  return { context, page: await context.newPage() }
}

/** Fills and submits the sign-in form; resolves with the page's alert, or '' once signed in. */
async function signIn(
  page: Page,
  party: 'authority' | 'verifier',
  credentials: { username: string; password: string; authority?: string },
) {
  await page.goto(`${app.url}/signin`)
  await page.locator(`input[name=party][value=${party}]`).check()
  if (credentials.authority) await page.locator('#authorityId').selectOption(credentials.authority)
  await page.locator('#username').fill(credentials.username)
  await page.locator('#password').fill(credentials.password)
  await page.locator('main form.stack-form button[type=submit]').click()
  const home = party === 'verifier' ? /\/verify$/ : /\/cases$/
  // Each sign-in costs an scrypt on the wallet's and on the service's side; on a loaded 2-core host
  // that can pass Playwright's 30 s default while nothing is wrong.
  await Promise.race([
    page.waitForURL(home, { timeout: 60_000 }),
    page.locator('#signin-error').waitFor({ timeout: 60_000 }),
  ])
  return home.test(page.url()) ? '' : ((await page.locator('#signin-error').textContent()) ?? '').trim()
}

/** The same form posted without a browser, from a given address (a guesser's script). */
async function postSignIn(address: string, credentials: { username: string; password: string }) {
  await setup
  const response = await fetch(`${app.url}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      origin: app.url,
      'x-forwarded-for': address,
    },
    body: new URLSearchParams({ party: 'verifier', ...credentials }),
  })
  await response.text()
  return response.status
}

describe('wallet sign-in in Chromium', () => {
  it('tells a browser that keeps guessing to wait, while the real user signs in from their own browser', async () => {
    const guesser = await browserAt('198.51.100.1')
    const answers: string[] = []
    for (let i = 0; i < 7; i++)
      answers.push(
        await signIn(guesser.page, 'verifier', { username: VERIFIER_ADMIN.username, password: `guess ${i}` }),
      )
    expect(answers.slice(0, 5)).toEqual(Array(5).fill('Wrong username or password.'))
    for (const answer of answers.slice(5))
      expect(answer).toMatch(/^Too many sign-in attempts\. Try again in \d+ min/)
    await guesser.context.close()

    const user = await browserAt('198.51.100.2')
    expect(await signIn(user.page, 'verifier', VERIFIER_ADMIN)).toBe('')
    expect(await user.page.locator('h1').count()).toBe(1)
    await user.context.close()
  })

  it('lets a browser that signed in before sign in again while many addresses guess the same account', async () => {
    const known = await browserAt('198.51.100.20')
    expect(await signIn(known.page, 'verifier', VERIFIER_ADMIN)).toBe('')
    const cookies = await known.context.cookies()
    expect(cookies.map((c) => c.name)).toContain('flora_wallet_verifier_device')
    expect(cookies.find((c) => c.name === 'flora_wallet_verifier_device')).toMatchObject({ httpOnly: true })
    await known.context.clearCookies({ name: 'flora_wallet_session' }) // signed out, the device cookie stays

    // one guess each from 40 addresses: every address is under the wallet's own limits, but the
    // verifier (which sees the addresses the wallet forwards) stops the account for unknown browsers
    const statuses: number[] = []
    for (let i = 0; i < 40; i++)
      statuses.push(await postSignIn(`100.64.1.${i}`, { username: 'admin', password: `guess ${i}` }))
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses.slice(-5)).toEqual(Array(5).fill(429))

    const stranger = await browserAt('198.51.100.30')
    expect(await signIn(stranger.page, 'verifier', VERIFIER_ADMIN)).toMatch(/^Too many sign-in attempts/)
    await stranger.context.close()
    expect(await signIn(known.page, 'verifier', VERIFIER_ADMIN)).toBe('')
    await known.context.close()
    // 42 sign-ins, each with its scrypt work (at most two at a time): the budget of a loaded host
  }, 180_000)

  it('counts sign-ins in its own database before asking the service: an address trying many usernames is stopped', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 13; i++)
      statuses.push(await postSignIn('198.51.100.50', { username: `user-${i}`, password: 'guess' }))
    expect(statuses).toEqual([...Array(12).fill(401), 429])
  })

  it('counts the addresses of one IPv6 /64 as one browser address', async () => {
    // Review of the staff sign-in, item 5: every IPv6 address counted on its own, so a client with a
    // /64 had as many budgets as it liked
    const statuses: number[] = []
    for (let i = 1; i <= 13; i++)
      statuses.push(
        await postSignIn(`2001:db8:5:6::${i.toString(16)}`, { username: `v6-user-${i}`, password: 'guess' }),
      )
    expect(statuses).toEqual([...Array(12).fill(401), 429])
  })

  it('offers the authorities to choose from, signs in at the chosen one only, and remembers the choice', async () => {
    // Review of the staff sign-in, item 2: the authority is part of every issuer login. The form
    // lists the issuer's authorities (public ids and names) instead of an optional free-text id.
    const clerk = await browserAt('198.51.100.41')
    await clerk.page.goto(`${app.url}/signin`)
    const choice = clerk.page.locator('select#authorityId')
    expect(await clerk.page.locator('label[for=authorityId]').count()).toBe(1)
    const options = await choice
      .locator('option')
      .evaluateAll((nodes) =>
        nodes.map((node) => ({ value: (node as HTMLOptionElement).value, text: node.textContent?.trim() })),
      )
    expect(options.filter((o) => o.value)).toEqual([
      { value: 'lds', text: 'Landesdirektion Sachsen' },
      { value: 'zab', text: 'ZAB Sachsen' },
    ])
    // the namesake's password opens nothing at lds; at zab it is the namesake's account
    expect(await signIn(clerk.page, 'authority', { ...CLERK, password: NAMESAKE.password })).toBe(
      'Wrong username or password.',
    )
    expect(await signIn(clerk.page, 'authority', NAMESAKE)).toBe('')
    expect(await clerk.page.locator('header').textContent()).toContain('ZAB Sachsen')
    // signed out, the form comes back with the authority chosen last
    await clerk.context.clearCookies({ name: 'flora_wallet_session' })
    await clerk.page.goto(`${app.url}/signin`)
    expect(await clerk.page.locator('select#authorityId').inputValue()).toBe('zab')
    await clerk.context.close()
  })

  it('asks for the authority when authority staff sign in without one', async () => {
    const status = await (async () => {
      await setup
      const response = await fetch(`${app.url}/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          origin: app.url,
          'x-forwarded-for': '198.51.100.42',
        },
        body: new URLSearchParams({ party: 'authority', username: CLERK.username, password: CLERK.password }),
      })
      await response.text()
      return response.status
    })()
    expect(status).toBe(400)
  })

  it("signs authority staff in and makes a change at the issuer with the issuer's session cookie", async () => {
    const clerk = await browserAt('198.51.100.40')
    expect(await signIn(clerk.page, 'authority', CLERK)).toBe('')
    await clerk.page.goto(`${app.url}/cases/new`)
    await clerk.page.locator('main form.stack-form button[type=submit]').click()
    await clerk.page.waitForURL(/\/cases\/[0-9a-f-]{36}$/)
    await clerk.context.close()
  })

  it("names its session cookie __Host-flora_wallet_session on https, ignores a planted plain one, and relays the services' __Host- cookies", async () => {
    // Review of the staff sign-in, item 7: without the __Host- prefix a sibling subdomain could
    // plant a session cookie (its own session) in a staff member's browser. On https the wallet and
    // the services now name their session cookies __Host-…; the wallet reads and sends the
    // services' under either name.
    await setup
    const verifierPort = await freePort()
    const verifierUrl = `http://127.0.0.1:${verifierPort}`
    for (const dir of ['verifier-https', 'wallet-https']) mkdirSync(join(dataDir, dir))
    await startService(
      'verifier/src/main.ts',
      {
        FLORA_VERIFIER_PORT: String(verifierPort),
        FLORA_VERIFIER_PUBLIC_URL: 'https://verifier.flora.test',
        FLORA_DATA_DIR: join(dataDir, 'verifier-https'),
        FLORA_VERIFIER_DATABASE_URL: `file:${join(dataDir, 'verifier-https', 'verifier.db')}`,
        FLORA_LEDGER_URL: 'http://127.0.0.1:9',
        FLORA_VERIFIER_ADMIN_PASSWORD: VERIFIER_ADMIN.password,
      },
      verifierUrl,
    )
    const origin = 'https://wallet.flora.test'
    const https = await startApp({
      FLORA_WALLET_PUBLIC_URL: origin,
      FLORA_ISSUER_URL: issuerUrl,
      FLORA_VERIFIER_URL: verifierUrl,
      FLORA_LEDGER_URL: 'http://127.0.0.1:9',
      FLORA_DATA_DIR: join(dataDir, 'wallet-https'),
      FLORA_WALLET_DATABASE_URL: `file:${join(dataDir, 'wallet-https', 'wallet.db')}`,
    })
    try {
      const signin = await fetch(`${https.url}/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ party: 'verifier', ...VERIFIER_ADMIN }),
      })
      await signin.text()
      expect(signin.status).toBe(303)
      const lines = signin.headers.getSetCookie()
      const line = lines.find((l) => l.startsWith('__Host-flora_wallet_session='))
      expect(line, lines.join('\n')).toBeDefined()
      expect(line!.toLowerCase()).toMatch(/;\s*secure/)
      expect(line!.toLowerCase()).toMatch(/;\s*path=\/(;|$)/)
      expect(line!.toLowerCase()).not.toMatch(/;\s*domain=/)
      expect(lines.some((l) => l.startsWith('flora_wallet_session='))).toBe(false)
      const value = line!.split(';')[0]!.slice('__Host-flora_wallet_session='.length)
      const verify = async (cookie: string) => {
        const response = await fetch(`${https.url}/verify`, { redirect: 'manual', headers: { cookie } })
        await response.text()
        return response.status
      }
      // signed in: the page reads the officer's reports at the verifier with its __Host- cookie
      expect(await verify(`__Host-flora_wallet_session=${value}`)).toBe(200)
      // the same value under the name a sibling subdomain can set: not a session
      expect(await verify(`flora_wallet_session=${value}`)).toBe(303)
    } finally {
      await https.stop()
    }
  })
})
