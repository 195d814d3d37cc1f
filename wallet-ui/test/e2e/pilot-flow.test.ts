import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appDir } from '../../scripts/ensure-build.ts'
import { type Language, languages } from '../../src/lib/i18n/messages.ts'
import { LANGUAGE_COOKIE } from '../../src/lib/i18n/resolve.ts'
import { axeViolations, describeViolations, isSeriousOrWorse } from '../browser/axe.ts'
import { launchChromium } from '../browser/chromium.ts'
import { pageRouteEntries } from '../browser/routes.ts'
import { signIn as signInAs } from '../browser/sign-in.ts'
import { executeCases, generateCases, loadScenarios, pilotAccessFromAccounts, silentProgress } from '@flora/pilot'
import { type DemoAccount, type RunningStack, startStack } from './stack.ts'

/*
 * The pilot flow in headless Chromium against the real stack (`npm start` on free ports: ledger,
 * issuer, verifier, wallet, pilot bootstrap), then axe on every route of src/routes, signed in, in
 * de/fr/en, including empty and error states. Screenshots of each step: test-artifacts/e2e-*.png.
 */
const artifacts = join(appDir, 'test-artifacts')
const EURODAC = 'DE1200000123456'

let setup: Promise<{ stack: RunningStack; browser: Browser }>
beforeAll(() => {
  mkdirSync(artifacts, { recursive: true })
  for (const file of readdirSync(artifacts)) if (file.startsWith('e2e-')) rmSync(join(artifacts, file))
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
}, 300_000)
afterAll(async () => {
  const ready = await setup.catch(() => undefined)
  await ready?.browser.close()
  await ready?.stack.stop()
}, 60_000)

/** What the flow creates; the route checks use these as fixture values. */
const ids: Record<string, string> = {}
let step = 0

async function context(lang: Language = 'en'): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
  const { stack, browser } = await setup
  const ctx = await browser.newContext({ locale: 'en-US' })
  await ctx.addCookies([{ name: LANGUAGE_COOKIE, value: lang, url: stack.urls.wallet }])
  const page = await ctx.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (4\d\d)/.test(message.text())) problems.push(`console: ${message.text()}`)
  })
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(stack.urls.wallet) && !url.startsWith('data:')) problems.push(`request off the app's origin: ${url}`)
  })
  return { ctx, page, problems }
}

async function shot(page: Page, name: string) {
  step++
  await page.screenshot({ path: join(artifacts, `e2e-${String(step).padStart(2, '0')}-${name}.png`), fullPage: true })
}

async function expectAccessible(page: Page, label: string) {
  const serious = (await axeViolations(page)).filter(isSeriousOrWorse)
  expect(serious, `${label}\n${describeViolations(serious)}`).toEqual([])
}

async function signIn(page: Page, party: 'authority' | 'verifier', account: DemoAccount) {
  await signInAs(page, (await setup).stack.urls.wallet, party, account)
}

const dresden = async () => (await setup).stack.account('issuer', (a) => a.authority === 'bamf-dresden' && a.role === 'staff')
const officer = async () => (await setup).stack.account('verifier', (a) => a.role === 'officer')

/** The verifier requests evidence; returns the openid4vp:// link the page shows. */
async function requestEvidence(page: Page): Promise<string> {
  await page.goto(`${(await setup).stack.urls.wallet}/verify`)
  await page.locator('#eurodacReference').fill(EURODAC)
  await Promise.all([page.waitForURL(/\/verify\/requests\//), page.getByRole('button', { name: 'Request evidence' }).click()])
  ids.requestId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!)
  const link = await page.locator('#request-link').inputValue()
  expect(link).toMatch(/^openid4vp:\/\//)
  return link
}

/** The authority answers the request from the case wallet. */
async function present(page: Page, link: string) {
  const { stack } = await setup
  await page.goto(`${stack.urls.wallet}/cases/${ids.caseId}/present`)
  await page.locator('#link').fill(link)
  await page.getByRole('button', { name: 'Check the request' }).click()
  await expect.poll(() => page.getByRole('button', { name: 'Consent and send' }).count(), { timeout: 20_000 }).toBe(1)
  await expect(page.locator('.request').first().textContent()).resolves.toContain('Signature of the request verified')
  await shot(page, 'present-request-who-what-why')
  await page.getByRole('button', { name: 'Consent and send' }).click()
  await expect.poll(() => page.locator('.request').first().getAttribute('class'), { timeout: 30_000 }).not.toContain('request-pending')
}

/** The verifier opens the report of its latest request. */
async function openReport(page: Page) {
  const { stack } = await setup
  await page.goto(`${stack.urls.wallet}/verify/requests/${ids.requestId}`)
  await expect.poll(async () => {
    await page.reload()
    return page.getByRole('link', { name: 'Read the report' }).count()
  }, { timeout: 30_000 }).toBe(1)
  await Promise.all([page.waitForURL(/\/verify\/reports\//), page.getByRole('link', { name: 'Read the report' }).click()])
  ids.reportId = new URL(page.url()).pathname.split('/').pop()!
}

describe('pilot flow in Chromium against the running stack', () => {
  it('BAMF Dresden staff signs in, opens a case and records a milestone into its case wallet', async () => {
    const { stack } = await setup
    const { ctx, page, problems } = await context('en')
    try {
      await page.goto(`${stack.urls.wallet}/signin`)
      await page.locator('#authorityId').selectOption('bamf-dresden')
      await page.locator('#username').fill('dresden.staff@bamf.test')
      await page.locator('#password').fill('wrong password')
      await page.locator('form.stack-form button[type=submit]').click()
      await expect(page.locator('#signin-error').textContent()).resolves.toContain('Wrong username or password')
      await shot(page, 'signin-error')
      await signIn(page, 'authority', await dresden())
      await expect(page.locator('.empty').textContent()).resolves.toContain('No case')
      await shot(page, 'cases-empty')
      await page.getByRole('link', { name: 'New case' }).first().click()
      await page.locator('#fileNumber').fill('DD-2026-0042')
      await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Open case' }).click()])
      ids.caseId = new URL(page.url()).pathname.split('/').pop()!
      // The case page also says that there is no Dublin assessment yet (another .empty).
      await expect(page.locator('.empty', { hasText: /^No milestone has been recorded/ }).count()).resolves.toBe(1)
      await shot(page, 'case-new-empty-timeline')

      await page.getByRole('link', { name: 'Record a milestone' }).click()
      await page.locator('#type').selectOption('AsylumRequestRecordReachedBamfMilestone')
      await page.getByRole('button', { name: 'Show the form' }).click()
      await page.locator('#f-milestoneDate').waitFor()
      // The schema's validation, inline: an empty required date.
      await page.getByRole('button', { name: 'Record and create the offer' }).click()
      await expect(page.locator('#f-milestoneDate-error').textContent()).resolves.toBe('This field is required.')
      await expectAccessible(page, 'record form with errors')
      await shot(page, 'record-validation')
      await page.locator('#f-milestoneDate').fill('2026-05-04')
      await page.locator('#eurodacReference').fill(EURODAC)
      await page.getByRole('button', { name: 'Record and create the offer' }).click()
      await expect(page.locator('.tx-code').textContent({ timeout: 20_000 })).resolves.toMatch(/Transaction code: \d+/)
      await shot(page, 'record-offer-qr-txcode')
      await Promise.all([
        page.waitForURL(/\/cases\/[0-9a-f-]{36}\?received=1$/, { timeout: 30_000 }),
        page.getByRole('button', { name: 'Receive into this case wallet now' }).click(),
      ])
      // It appears in the case wallet, valid; anchored once the issuer's batch is on the ledger.
      expect(await page.locator('.timeline-item').count()).toBe(1)
      await expect(page.locator('.timeline-item .badge-valid').count()).resolves.toBe(1)
      await expect.poll(async () => {
        await page.reload()
        return page.locator('.badge-anchor-anchored').count()
      }, { timeout: 60_000, interval: 1500 }).toBe(1)
      await expect(page.locator('.badge-anchor-anchored').textContent()).resolves.toMatch(/anchored in block \d+/)
      await shot(page, 'case-timeline-anchored')
      await Promise.all([page.waitForURL(/\/credentials\//), page.getByRole('link', { name: /^Details/ }).click()])
      ids.credentialId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!)
      await expect(page.locator('.check-passed').count()).resolves.toBe(5)
      await shot(page, 'credential-detail')
      await page.goto(`${stack.urls.wallet}/cases?q=DD-2026`)
      expect(await page.locator('tbody tr').count()).toBe(1)
      await shot(page, 'cases-search')

      // Dresden grants the BAMF Dublin unit access; the unit records the Dublin request (TBR to FR).
      await page.goto(`${stack.urls.wallet}/cases/${ids.caseId}`)
      await page.locator('#authorityId').fill('bamf-dublin-unit')
      await page.getByRole('button', { name: 'Grant access' }).click()
      await expect.poll(() => page.locator('section[aria-labelledby=grants-heading] li').count(), { timeout: 20_000 }).toBe(2)
      await shot(page, 'case-granted')
      expect(problems).toEqual([])
    } finally {
      await ctx.close()
    }
    const unit = await context('de')
    try {
      const page = unit.page
      await signIn(page, 'authority', stack.account('issuer', (a) => a.authority === 'bamf-dublin-unit' && a.role === 'staff'))
      expect(await page.locator('tbody tr').count()).toBe(1)
      await page.goto(`${stack.urls.wallet}/cases/${ids.caseId}/record?type=DublinRequestMilestone`)
      await page.locator('#f-milestoneDate').fill('2026-05-20')
      await page.locator('#f-requestType').selectOption('TBR')
      await page.locator('#f-requestingState').selectOption('DE')
      await page.locator('#f-requestedState').selectOption('FR')
      await page.locator('#f-requestBasis').fill('Art 18')
      await page.locator('#f-requestBasis').blur()
      await expect(page.locator('#f-requestBasis-error').textContent()).resolves.toBe('Der Wert hat nicht das erforderliche Format.')
      await page.locator('#f-requestBasis').fill('Art. 18(1)(b)')
      await page.locator('#eurodacReference').fill(EURODAC)
      await shot(page, 'record-dublin-request-de')
      await page.locator('form[action="?/record"] button[type=submit]').click()
      await page.locator('.tx-code').waitFor({ timeout: 20_000 })
      await Promise.all([
        page.waitForURL(/\?received=1$/, { timeout: 30_000 }),
        page.locator('section.notice form button[type=submit]').click(),
      ])
      await expect.poll(async () => {
        await page.reload()
        return page.locator('.badge-anchor-anchored').count()
      }, { timeout: 60_000, interval: 1500 }).toBe(2)
      await shot(page, 'case-two-milestones-de')
      expect(unit.problems).toEqual([])
    } finally {
      await unit.ctx.close()
    }
  }, 300_000)

  it('the French Dublin unit requests evidence, the case presents, the report is all green with the Dublin assessment', async () => {
    const verifierSide = await context('en')
    const authoritySide = await context('en')
    try {
      await signIn(verifierSide.page, 'verifier', await officer())
      await expect(verifierSide.page.locator('.empty').textContent()).resolves.toContain('No verification report')
      await shot(verifierSide.page, 'verify-empty')
      const link = await requestEvidence(verifierSide.page)
      await shot(verifierSide.page, 'verify-request-link-qr')

      await signIn(authoritySide.page, 'authority', await dresden())
      await present(authoritySide.page, link)
      await expect(authoritySide.page.locator('.alert-success').textContent()).resolves.toContain('accepted the presentation')
      await shot(authoritySide.page, 'present-answered')

      await openReport(verifierSide.page)
      const page = verifierSide.page
      await shot(page, 'report-valid-dublin-chart')
      const notPassed = await page.locator('.checks-table tbody tr:not(.row-passed)').allTextContents()
      expect(notPassed, 'every check of the report passed').toEqual([])
      await expect(page.locator('.verdict .badge-verdict-valid').count()).resolves.toBe(1)
      const outcomes = await page.locator('.checks-table td .badge').evaluateAll((els) => els.map((e) => e.className))
      expect(outcomes.length).toBeGreaterThanOrEqual(10)
      expect(outcomes.filter((c) => !c.includes('badge-outcome-passed'))).toEqual([])
      await expect(page.locator('#dublin-heading').count()).resolves.toBe(1)
      await expect(page.locator('svg.deadline-chart').count()).resolves.toBe(1)
      const download = await page.request.get(`${(await setup).stack.urls.wallet}/verify/reports/${ids.reportId}/download`)
      expect(download.status()).toBe(200)
      expect(download.headers()['content-disposition']).toMatch(/attachment; filename="verification-/)
      expect(await download.text()).toMatch(/<html/i)
      ids.validReportId = ids.reportId ?? ''
      expect([...verifierSide.problems, ...authoritySide.problems]).toEqual([])
    } finally {
      await verifierSide.ctx.close()
      await authoritySide.ctx.close()
    }
  }, 240_000)

  it('after BAMF Dresden revokes the credential, a new report turns red', async () => {
    const { stack } = await setup
    const verifierSide = await context('en')
    const authoritySide = await context('en')
    try {
      await signIn(authoritySide.page, 'authority', await dresden())
      await authoritySide.page.goto(`${stack.urls.wallet}/cases/${ids.caseId}`)
      await authoritySide.page.getByRole('button', { name: /^Revoke/ }).click()
      await expect.poll(() => authoritySide.page.locator('.timeline-item .badge-revoked').count(), { timeout: 20_000 }).toBe(1)
      await shot(authoritySide.page, 'case-revoked')

      await signIn(verifierSide.page, 'verifier', await officer())
      const link = await requestEvidence(verifierSide.page)
      await present(authoritySide.page, link)
      await openReport(verifierSide.page)
      const page = verifierSide.page
      await expect(page.locator('.verdict .badge-verdict-invalid').count()).resolves.toBe(1)
      const statusRow = page.locator('.checks-table tr.row-failed', { hasText: 'Status (revocation, suspension)' })
      await expect(statusRow.count()).resolves.toBeGreaterThanOrEqual(1)
      await shot(page, 'report-invalid-revoked')
    } finally {
      await verifierSide.ctx.close()
      await authoritySide.ctx.close()
    }
  }, 240_000)
})

describe('an outcome from absence attestations in the verifier workspace', () => {
  it('implicit acceptance → TRANSFER_PENDING: the officer asks as of 15.01.2026, the report shows the as-of day, the status and the absence sources', async () => {
    const { stack } = await setup
    // The pilot scenario, issued by the German authorities over the issuer API into a case wallet
    // (the pilot's), presented to the request the officer opens here in Chromium with its as-of day.
    const scenario = loadScenarios().scenarios.find((s) => s.id === 'd3-tcr-absence-implicit-acceptance-pending')!
    expect(scenario.asOf).toBe('2026-01-15')
    const [plan] = generateCases({ cases: 1, seed: 19, scenarios: [scenario], offices: ['bamf-dresden'] })
    const access = await pilotAccessFromAccounts(
      { ledgerUrl: stack.urls.ledger, issuerUrl: stack.urls.issuer, verifierUrl: stack.urls.verifier },
      join(stack.dataDir, 'demo-accounts.json'),
    )
    const verifierSide = await context('en')
    try {
      const page = verifierSide.page
      await signIn(page, 'verifier', await officer())
      const executed = await executeCases(access, [plan!], {
        progress: silentProgress,
        runKey: 'wallet-e2e-absence',
        concurrency: 1,
        openRequest: async (planned) => {
          await page.goto(`${stack.urls.wallet}/verify`)
          expect(await page.locator('#asOf').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/)
          await page.locator('#eurodacReference').fill(planned.person.eurodacReference)
          await page.locator('#asOf').fill(planned.asOf!)
          await shot(page, 'verify-request-as-of')
          await Promise.all([page.waitForURL(/\/verify\/requests\//), page.getByRole('button', { name: 'Request evidence' }).click()])
          const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!)
          return { id, authorizationRequest: await page.locator('#request-link').inputValue() }
        },
      })
      const result = executed.cases[0]!
      expect(result.error).toBeUndefined()
      expect(result.mismatches).toEqual([])
      await page.goto(`${stack.urls.wallet}/verify/reports/${result.verification!.reportId}`)
      await expect(page.locator('.verdict .badge-verdict-valid').count()).resolves.toBe(1)
      await expect(page.locator('.dublin-as-of time').getAttribute('datetime')).resolves.toBe('2026-01-15')
      await expect(page.locator('.dublin-as-of').textContent()).resolves.toContain('Jan 15, 2026')
      await expect(page.locator('.dublin-status').textContent()).resolves.toContain('transfer pending')
      await expect(page.locator('.dublin-status code').textContent()).resolves.toBe('TRANSFER_PENDING')
      await expect(page.locator('.dublin-deadlines tr[data-field=transferDeadline] time').getAttribute('datetime')).resolves.toBe('2026-05-15')
      await expect(page.locator('.dublin-facts tr[data-source=absence]').count()).resolves.toBeGreaterThanOrEqual(1)
      await expect(page.locator('.dublin-facts').textContent()).resolves.toContain('absence attested up to')
      await expectAccessible(page, 'report with an absence-based outcome')
      await shot(page, 'report-absence-transfer-pending')
      expect(verifierSide.problems).toEqual([])
    } finally {
      await verifierSide.ctx.close()
    }
  }, 240_000)
})

describe('axe on every route of src/routes, signed in, in de/fr/en', () => {
  const routesDir = join(appDir, 'src', 'routes')

  describe.each(languages)('in %s', (lang) => {
    it('every page route, plus empty and error states, has no serious or critical violation', async () => {
      const { stack } = await setup
      expect(ids.caseId && ids.credentialId && ids.requestId && ids.reportId, 'the flow above provides the fixtures').toBeTruthy()
      const entries = pageRouteEntries(routesDir, {
        caseId: ids.caseId!,
        credentialId: ids.credentialId!,
        requestId: ids.requestId!,
        reportId: ids.reportId!,
      })
      const authority = await context(lang)
      const verifier = await context(lang)
      const anonymous = await context(lang)
      try {
        await signIn(authority.page, 'authority', stack.account('issuer', (a) => a.authority === 'bamf-dresden' && a.role === 'admin'))
        await signIn(verifier.page, 'verifier', await officer())
        for (const entry of entries) {
          const side = entry.groups.includes('authority') ? authority : entry.groups.includes('verifier') ? verifier : anonymous
          const response = await side.page.goto(stack.urls.wallet + entry.path, { waitUntil: 'networkidle' })
          expect(response?.status(), `${lang} ${entry.path}`).toBe(200)
          expect(await side.page.evaluate(() => document.documentElement.lang)).toBe(lang)
          expect(await side.page.locator('h1').count(), entry.path).toBe(1)
          await expectAccessible(side.page, `${lang} ${entry.route}`)
          await side.page.screenshot({ path: join(artifacts, `e2e-axe-${lang}${entry.path.replaceAll('/', '-').slice(0, 80)}.png`), fullPage: true })
        }
        // States: the record form for a type, its errors; a presentation-request error; a 404 case;
        // the other party's workspace (403); the verifier's report list.
        const states: [Page, string, number][] = [
          [authority.page, `/cases/${ids.caseId}/record?type=FormalApplicationMilestone`, 200],
          [authority.page, '/cases/00000000-0000-4000-8000-00000000dead', 404],
          [authority.page, '/verify', 403],
          [verifier.page, '/cases', 403],
          [anonymous.page, '/signin?expired=1', 200],
        ]
        for (const [page, path, status] of states) {
          const response = await page.goto(stack.urls.wallet + path, { waitUntil: 'networkidle' })
          expect(response?.status(), path).toBe(status)
          await expectAccessible(page, `${lang} ${path}`)
        }
        await authority.page.goto(`${stack.urls.wallet}/cases/${ids.caseId}/record?type=FormalApplicationMilestone`)
        await authority.page.locator('form[action="?/record"] button[type=submit]').click()
        await authority.page.locator('.field-error').first().waitFor()
        await expectAccessible(authority.page, `${lang} record errors`)
        await authority.page.goto(`${stack.urls.wallet}/cases/${ids.caseId}/present`)
        await authority.page.locator('#link').fill('openid4vp://?client_id=x')
        await authority.page.locator('form[action="?/receive"] button[type=submit]').click()
        await authority.page.locator('#link-error').waitFor()
        await expectAccessible(authority.page, `${lang} present error`)
        await authority.page.screenshot({ path: join(artifacts, `e2e-axe-${lang}-present-error.png`), fullPage: true })
        expect([...authority.problems, ...verifier.problems, ...anonymous.problems]).toEqual([])
      } finally {
        await authority.ctx.close()
        await verifier.ctx.close()
        await anonymous.ctx.close()
      }
    }, 300_000)
  })
})
