import type { Page } from 'playwright-core'
import { expect } from 'vitest'

/** A demo account as `npm start` writes it into demo-accounts.json. */
export interface SignInAccount {
  username: string
  password: string
  /** The issuer authority of an authority account (chosen in the form). */
  authority?: string
}

/**
 * Signs in through the wallet's sign-in form and waits for the party's workspace. On a loaded
 * 2-core machine a submit can land before the page is ready and be lost; the form is submitted
 * again (up to three times) rather than waiting out one lost click. A shown sign-in error fails at once.
 */
export async function signIn(page: Page, walletUrl: string, party: 'authority' | 'verifier', account: SignInAccount) {
  const target = party === 'verifier' ? /\/verify$/ : /\/cases$/
  let outcome = 'waiting'
  for (let attempt = 0; attempt < 3 && outcome === 'waiting'; attempt++) {
    await page.goto(`${walletUrl}/signin`, { waitUntil: 'networkidle' })
    await page.locator(`input[name=party][value=${party}]`).check()
    if (party === 'authority' && account.authority) await page.locator('#authorityId').selectOption(account.authority)
    await page.locator('#username').fill(account.username)
    await page.locator('#password').fill(account.password)
    await page.locator('form.stack-form button[type=submit]').click()
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      if (target.test(page.url())) {
        outcome = 'signed in'
        break
      }
      const error = await page.locator('#signin-error').textContent({ timeout: 500 }).catch(() => null)
      if (error) {
        outcome = error
        break
      }
      await page.waitForTimeout(250)
    }
  }
  expect(outcome).toBe('signed in')
}
