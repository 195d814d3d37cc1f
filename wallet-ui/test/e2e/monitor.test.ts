import type { Browser, Page } from 'playwright-core'
import { addDays, assessDublinCase, openDeadlines, todayIn } from '@flora/credentials'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { languages } from '../../src/lib/i18n/messages.ts'
import { LANGUAGE_COOKIE } from '../../src/lib/i18n/resolve.ts'
import { axeViolations, describeViolations, isSeriousOrWorse } from '../browser/axe.ts'
import { launchChromium } from '../browser/chromium.ts'
import { signIn } from '../browser/sign-in.ts'
import { type DemoAccount, type RunningStack, startStack } from './stack.ts'

/**
 * The deadline monitor through the wallet, with the real stack behind it (npm start: issuer,
 * verifier, ledger, pilot bootstrap): a case waiting for a reply shows its reply deadline; once the
 * acceptance is recorded the row shows the next deadline. The page is axe-clean in de, fr and en,
 * and the calendar feed can be created and revoked without JavaScript.
 */
let setup: Promise<{ stack: RunningStack; browser: Browser }>
beforeAll(() => {
  setup = (async () => {
    const browser = await launchChromium()
    try {
      return { stack: await startStack(), browser }
    } catch (error) {
      await browser.close()
      throw error
    }
  })()
  setup.catch(() => {})
})
afterAll(async () => {
  const ready = await setup.catch(() => undefined)
  await ready?.browser.close()
  await ready?.stack.stop()
})

/** A session at the issuer itself (its API, as a case system would use it). */
async function issuerSession(stack: RunningStack, account: DemoAccount) {
  const origin = new URL(stack.urls.issuer).origin
  const response = await fetch(`${stack.urls.issuer}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ authorityId: account.authority, username: account.username, password: account.password }),
  })
  expect(response.status).toBe(201)
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';', 1)[0]!)
    .filter((pair) => pair.includes('flora_session='))
    .join('; ')
  return async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${stack.urls.issuer}${path}`, {
      method,
      headers: { cookie, origin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
    const text = await answer.text()
    expect(answer.status, `${method} ${path}: ${text}`).toBeLessThan(300)
    return text ? JSON.parse(text) : undefined
  }
}

const rowOf = (page: Page, caseId: string) => page.locator(`#deadlines tr[data-case="${caseId}"]`)

describe('deadline monitor in Chromium', () => {
  const today = todayIn('Europe/Berlin')
  const registered = addDays(today, -60)
  const requested = addDays(today, -10)
  const base = {
    requestingState: 'DE',
    requestedState: 'IT',
    requestType: 'TCR',
    applicationRegistered: registered,
    requestSent: requested,
    requestReceived: requested,
  }
  let caseId: string
  let page: Page

  it('shows a case waiting for a reply with its reply deadline, then the next deadline once the reply is recorded', async () => {
    const { stack, browser } = await setup
    const unit = stack.account('issuer', (a) => a.authority === 'bamf-dublin-unit' && a.role === 'staff')
    const office = stack.account('issuer', (a) => a.authority === 'bamf-dresden' && a.role === 'staff')
    const context = await browser.newContext({ locale: 'de-DE' })
    page = await context.newPage()
    await signIn(page, stack.urls.wallet, 'authority', unit)
    // a case opened in the wallet (so that the monitor's link leads to it)
    await page.goto(`${stack.urls.wallet}/cases/new`, { waitUntil: 'networkidle' })
    await page.locator('form.stack-form button[type=submit]').click()
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/)
    caseId = page.url().split('/').at(-1)!
    const asUnit = await issuerSession(stack, unit)
    const asOffice = await issuerSession(stack, office)
    await asUnit('POST', `/cases/${caseId}/grants`, { authorityId: 'bamf-dresden' })
    await asOffice('POST', `/cases/${caseId}/milestones`, {
      type: 'ApplicationRegisteredMilestone',
      claims: { milestoneDate: registered },
    })
    await asUnit('POST', `/cases/${caseId}/milestones`, {
      type: 'DublinRequestMilestone',
      claims: { milestoneDate: requested, requestType: 'TCR', requestingState: 'DE', requestedState: 'IT', requestReceived: requested },
    })
    const waiting = assessDublinCase({ ...base, asOf: today })
    await page.goto(`${stack.urls.wallet}/monitor`, { waitUntil: 'networkidle' })
    const row = rowOf(page, caseId)
    await expect(row.locator('td[data-kind]').getAttribute('data-kind')).resolves.toBe('reply')
    await expect(row.locator('time').getAttribute('datetime')).resolves.toBe(waiting.replyDeadline)
    await expect(row.locator(`a[href="/cases/${caseId}"]`).count()).resolves.toBe(1)

    await asUnit('POST', `/cases/${caseId}/milestones`, {
      type: 'DublinReplyMilestone',
      claims: { milestoneDate: today, replyType: 'acceptance' },
    })
    const acceptedFacts = { ...base, reply: { type: 'acceptance', received: today } }
    const next = openDeadlines(assessDublinCase({ ...acceptedFacts, asOf: today }), acceptedFacts, today)[0]!
    await page.goto(`${stack.urls.wallet}/monitor`, { waitUntil: 'networkidle' })
    await expect(row.locator('td[data-kind]').getAttribute('data-kind')).resolves.toBe(next.kind)
    expect(next.kind).not.toBe('reply')
    await expect(row.locator('time').getAttribute('datetime')).resolves.toBe(next.date)
    // the filter form works without JavaScript: a plain GET
    await page.locator('#kind').selectOption('transfer')
    await page.locator('form.filters button[type=submit]').click()
    await page.waitForURL(/kind=transfer/)
    await expect(rowOf(page, caseId).locator('td[data-kind]').getAttribute('data-kind')).resolves.toBe('transfer')
  })

  it('creates and revokes a calendar address', async () => {
    const { stack } = await setup
    await page.goto(`${stack.urls.wallet}/monitor`, { waitUntil: 'networkidle' })
    await page.locator('form[action="?/createFeed"] button').click()
    await page.locator('#feed-url').waitFor()
    const url = await page.locator('#feed-url').inputValue()
    expect(url).toMatch(/\/monitor\/calendar\/[A-Za-z0-9_-]{43}\.ics$/)
    const feed = await fetch(url)
    expect(feed.status).toBe(200)
    expect(await feed.text()).toContain(`/cases/${caseId}`)
    await page.locator('form[action="?/revokeFeed"] button').first().click()
    await page.waitForLoadState('networkidle')
    expect((await fetch(url)).status).toBe(404)
  })

  it.each(languages)('is axe-clean in %s', async (lang) => {
    const { stack } = await setup
    await page.context().addCookies([{ name: LANGUAGE_COOKIE, value: lang, url: stack.urls.wallet }])
    await page.goto(`${stack.urls.wallet}/monitor`, { waitUntil: 'networkidle' })
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
    await expect(page.locator('#deadlines caption').count()).resolves.toBe(1)
    const serious = (await axeViolations(page)).filter(isSeriousOrWorse)
    expect(serious, describeViolations(serious)).toEqual([])
  })
})
