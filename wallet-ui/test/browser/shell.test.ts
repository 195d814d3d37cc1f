import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appDir } from '../../scripts/ensure-build.ts'
import { type Language, languages } from '../../src/lib/i18n/messages.ts'
import { LANGUAGE_COOKIE } from '../../src/lib/i18n/resolve.ts'
import { healthSchema } from '../../src/lib/server/health.ts'
import { type RunningApp, startApp } from './app.ts'
import { axeViolations, describeViolations, isSeriousOrWorse } from './axe.ts'
import { launchChromium } from './chromium.ts'
import { pageRouteEntries } from './routes.ts'

const entries = pageRouteEntries(join(appDir, 'src', 'routes'))
/** Public pages; the workspace pages (layout groups) are checked signed in by test/e2e. */
const routes = entries.filter((e) => e.groups.length === 0).map((e) => e.path)
const workspaceRoutes = entries.filter((e) => e.groups.length > 0).map((e) => e.path)
const artifacts = join(appDir, 'test-artifacts')

/*
 * Setup runs once; every test awaits it, so a missing Chromium or a failed build fails each test
 * with the reason (a throwing beforeAll would leave the tests merely "skipped").
 */
let setup: Promise<{ app: RunningApp; browser: Browser }>
beforeAll(() => {
  mkdirSync(artifacts, { recursive: true })
  setup = (async () => {
    const browser = await launchChromium()
    try {
      return { app: await startApp(), browser }
    } catch (error) {
      await browser.close()
      throw error
    }
  })()
  setup.catch(() => {}) // reported by each test that awaits it
})
afterAll(async () => {
  const ready = await setup.catch(() => undefined)
  await ready?.browser.close()
  await ready?.app.stop()
})

/** A fresh context (own cookies) whose page records console errors and any request off this origin. */
async function openPage(options: BrowserContextOptions & { lang?: Language } = {}) {
  const { app, browser } = await setup
  const { lang, ...contextOptions } = options
  const context = await browser.newContext({ locale: 'en-US', ...contextOptions })
  if (lang) await context.addCookies([{ name: LANGUAGE_COOKIE, value: lang, url: app.url }])
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('request', (request) => {
    if (!request.url().startsWith(app.url) && !request.url().startsWith('data:')) {
      problems.push(`request off the app's origin (must work air-gapped): ${request.url()}`)
    }
  })
  return { app, page, problems, close: () => context.close() }
}

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang)

/** The checks every rendered state must pass, then a screenshot for the record. */
async function checkPage(page: Page, problems: string[], lang: Language, shot: string) {
  expect(await htmlLang(page)).toBe(lang)
  expect((await page.title()).trim()).not.toBe('')
  expect(await page.locator('h1').count()).toBe(1)
  await expect(page.locator('main#main').count()).resolves.toBe(1)
  const serious = (await axeViolations(page)).filter(isSeriousOrWorse)
  await page.screenshot({ path: join(artifacts, `${shot}.png`), fullPage: true })
  expect(serious, describeViolations(serious)).toEqual([])
  expect(problems).toEqual([])
}

describe('wallet-ui shell in Chromium', () => {
  it('enumerates at least the home page from src/routes', () => {
    expect(routes).toContain('/')
    expect(routes).toContain('/signin')
    expect(workspaceRoutes).toContain('/cases')
  })

  it('every workspace route sends a signed-out reader to sign-in, and comes back after it', async () => {
    const { app } = await setup
    for (const route of workspaceRoutes) {
      const response = await fetch(app.url + route, { redirect: 'manual' })
      expect(response.status, route).toBe(303)
      expect(response.headers.get('location'), route).toBe(`/signin?returnTo=${encodeURIComponent(route)}`)
    }
  })

  it('GET /health is 200 with the common service shape', async () => {
    const { app } = await setup
    const response = await fetch(`${app.url}/health`)
    expect(response.status).toBe(200)
    const body = healthSchema.parse(await response.json())
    expect(body).toMatchObject({ status: 'ok', service: 'wallet-ui', checks: {} })
  })

  it('GET /openapi.json describes /health', async () => {
    const { app } = await setup
    const response = await fetch(`${app.url}/openapi.json`)
    expect(response.status).toBe(200)
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toContain('/health')
  })

  describe.each(languages)('in %s', (lang) => {
    it.each(routes)('route %s has no serious or critical axe violation', async (route) => {
      const { app, page, problems, close } = await openPage({ lang })
      try {
        const response = await page.goto(app.url + route, { waitUntil: 'networkidle' })
        expect(response?.status()).toBe(200)
        await checkPage(
          page,
          problems,
          lang,
          `${lang}${route === '/' ? '-home' : route.replaceAll('/', '-')}`,
        )
      } finally {
        await close()
      }
    })

    it('the 404 error state is localized and has no serious or critical axe violation', async () => {
      const { app, page, problems, close } = await openPage({ lang })
      // The browser itself logs the 404 response as a console error; that one is expected.
      const response = await page.goto(`${app.url}/no-such-page`, { waitUntil: 'networkidle' })
      try {
        expect(response?.status()).toBe(404)
        const expected = problems.filter((p) => !/status of 404/.test(p))
        problems.splice(0, problems.length, ...expected)
        await expect(page.locator('h1').textContent()).resolves.toBe(
          { de: 'Seite nicht gefunden', fr: 'Page introuvable', en: 'Page not found' }[lang],
        )
        await checkPage(page, problems, lang, `${lang}-404`)
      } finally {
        await close()
      }
    })
  })

  it('the language choice persists across reloads and new pages', async () => {
    const { app, page, problems, close } = await openPage({ locale: 'en-US' })
    try {
      await page.goto(app.url, { waitUntil: 'networkidle' })
      expect(await htmlLang(page)).toBe('en') // from Accept-Language, no cookie yet
      await Promise.all([
        page.waitForURL(`${app.url}/`),
        page.getByRole('button', { name: 'Français' }).click(),
      ])
      expect(await htmlLang(page)).toBe('fr')
      await expect(page.getByRole('button', { name: 'Français' }).getAttribute('aria-current')).resolves.toBe(
        'true',
      )
      await page.reload({ waitUntil: 'networkidle' })
      expect(await htmlLang(page)).toBe('fr')
      const second = await page.context().newPage()
      await second.goto(app.url, { waitUntil: 'networkidle' })
      expect(await htmlLang(second)).toBe('fr')
      const [cookie] = (await page.context().cookies()).filter((c) => c.name === LANGUAGE_COOKIE)
      expect(cookie).toMatchObject({ value: 'fr', path: '/', httpOnly: true, sameSite: 'Lax' })
      expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(300 * 24 * 3600 * 1000)
      expect(problems).toEqual([])
    } finally {
      await close()
    }
  })

  it('without a cookie, the browser language decides (Accept-Language), German as fallback', async () => {
    for (const [locale, expected] of [
      ['fr-FR', 'fr'],
      ['de-AT', 'de'],
      ['it-IT', 'de'],
    ] as const) {
      const { app, page, close } = await openPage({ locale })
      try {
        await page.goto(app.url)
        expect(await htmlLang(page), locale).toBe(expected)
      } finally {
        await close()
      }
    }
  })

  it('switching language works without JavaScript and returns to the same page', async () => {
    const { app, page, close } = await openPage({ javaScriptEnabled: false, lang: 'de' })
    try {
      await page.goto(`${app.url}/no-such-page?x=1`)
      await Promise.all([
        page.waitForURL(`${app.url}/no-such-page?x=1`),
        page.getByRole('button', { name: 'English' }).click(),
      ])
      expect(await htmlLang(page)).toBe('en')
    } finally {
      await close()
    }
  })

  it('is keyboard usable: the skip link comes first, is visible and moves focus to main', async () => {
    const { app, page, problems, close } = await openPage({ lang: 'en' })
    try {
      await page.goto(app.url, { waitUntil: 'networkidle' })
      await page.keyboard.press('Tab')
      const skip = page.getByRole('link', { name: 'Skip to main content' })
      await expect(skip.evaluate((el) => el === document.activeElement)).resolves.toBe(true)
      const box = await skip.boundingBox()
      expect(box && box.y >= 0 && box.height > 0).toBe(true)
      await page.screenshot({ path: join(artifacts, 'en-skip-link-focused.png') })
      await page.keyboard.press('Enter')
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main')
      // Then the language switch by keyboard alone.
      await page.getByRole('button', { name: 'Deutsch' }).focus()
      await Promise.all([page.waitForURL(`${app.url}/`), page.keyboard.press('Enter')])
      expect(await htmlLang(page)).toBe('de')
      expect(problems).toEqual([])
    } finally {
      await close()
    }
  })
})
