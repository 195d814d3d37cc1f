import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningApp, startApp } from '../browser/app.ts'
import { launchChromium } from '../browser/chromium.ts'

/*
 * Every response of the wallet carries the security headers — pages, JSON endpoints and static
 * files — and the app still works under them: in Chromium against the real server, a page loads
 * and hydrates without a CSP error, and another origin cannot frame it.
 */

let app: RunningApp
let browser: Browser
let framer: Server
let framerOrigin: string

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startApp(), launchChromium()])
  framer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' })
    response.end(`<!doctype html><title>framer</title><iframe id="victim" src="${app.url}/signin"></iframe>`)
  })
  await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve))
  framerOrigin = `http://localhost:${(framer.address() as AddressInfo).port}`
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  framer?.closeAllConnections()
  await new Promise((resolve) => framer?.close(resolve))
})

const common = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

describe('security headers of the wallet UI', () => {
  it('a page: its strict CSP (no framing), and the common headers; it loads without a CSP error', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    const response = await page.goto(`${app.url}/signin`, { waitUntil: 'networkidle' })
    const headers = response!.headers()
    expect(headers).toMatchObject(common)
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(headers['content-security-policy']).toContain("script-src 'self'")
    expect(headers['permissions-policy']).toContain('camera=()')
    // the app hydrated: the client-side form enhancement is live (a field is interactive)
    await page.locator('#username').fill('someone')
    expect(problems).toEqual([])
    await context.close()
  })

  it('a JSON endpoint and a static file carry them too', async () => {
    const health = await fetch(`${app.url}/health`)
    expect(Object.fromEntries(health.headers)).toMatchObject(common)
    expect(health.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await (await fetch(`${app.url}/signin`)).text()
    const asset = /_app\/immutable\/[^"']+\.js/.exec(html)?.[0]
    expect(asset).toBeDefined()
    for (const path of [`/${asset}`, '/favicon.svg']) {
      const response = await fetch(`${app.url}${path}`)
      expect(response.status, path).toBe(200)
      expect(Object.fromEntries(response.headers), path).toMatchObject(common)
    }
  })

  it('another origin cannot frame the wallet', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const blocked: string[] = []
    page.on('console', (message) => {
      if (/frame-ancestors|X-Frame-Options|refused to (display|frame)/i.test(message.text())) blocked.push(message.text())
    })
    await page.goto(`${framerOrigin}/`, { waitUntil: 'load' })
    await expect.poll(() => blocked.length, { timeout: 10_000 }).toBeGreaterThan(0)
    const frame = page.frames().find((f) => f !== page.mainFrame())
    const inside = await frame?.locator('#username').count().catch(() => 0)
    expect(inside ?? 0).toBe(0)
    await context.close()
  })
})
