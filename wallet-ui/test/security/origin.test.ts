import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningApp, startApp } from '../browser/app.ts'
import { launchChromium } from '../browser/chromium.ts'

/**
 * The wallet configured for http://localhost:<port> (as `npm run wallet` prints it) and opened at
 * http://127.0.0.1:<port>: pages go to the configured origin; a form posted from the other origin
 * is still refused, with a localised page of ours instead of SvelteKit's bare text.
 */
let app: RunningApp

/** One request with exactly these headers (fetch would not let us set Host). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

beforeAll(async () => {
  app = await startApp({}, { publicHost: 'localhost' })
})
afterAll(async () => {
  await app?.stop()
})

describe('wallet reached under another loopback name', () => {
  it('sends a page load at 127.0.0.1 to the same path on the configured origin', async () => {
    const port = new URL(app.url).port
    const response = await send(`${app.boundUrl}/signin?party=authority`)
    expect(response.status).toBe(307)
    expect(response.headers.location).toBe(`http://localhost:${port}/signin?party=authority`)
  })

  it('serves the configured host, and never redirects to a foreign Host', async () => {
    const port = new URL(app.url).port
    const own = await send(`${app.boundUrl}/signin`, { headers: { host: `localhost:${port}` } })
    expect(own.status).toBe(200)
    const foreign = await send(`${app.boundUrl}/signin`, { headers: { host: `evil.example:${port}` } })
    expect(foreign.headers.location).toBeUndefined()
    const otherPort = await send(`${app.boundUrl}/signin`, { headers: { host: `127.0.0.1:1` } })
    expect(otherPort.headers.location).toBeUndefined()
  })

  it('answers a form posted from the other origin with a localised page naming the right address', async () => {
    const port = new URL(app.url).port
    for (const [lang, title] of [
      ['fr', 'Veuillez ouvrir le portefeuille à son adresse'],
      ['de', 'Bitte öffnen Sie die Wallet unter ihrer eigenen Adresse'],
      ['en', 'Please open the wallet at its own address'],
    ] as const) {
      const response = await send(`${app.boundUrl}/signin`, {
        method: 'POST',
        headers: {
          origin: `http://127.0.0.1:${port}`,
          'content-type': 'application/x-www-form-urlencoded',
          'accept-language': lang,
        },
        body: 'party=authority&username=a&password=b',
      })
      expect(response.status).toBe(403)
      expect(response.headers['content-type']).toMatch(/^text\/html/)
      expect(response.body).toContain(`<html lang="${lang}">`)
      expect(response.body).toContain(title)
      expect(response.body).toContain(`href="http://localhost:${port}/signin"`)
      expect(response.body).not.toContain('Cross-site POST form submissions are forbidden')
    }
  })

  it('still takes a form posted from the configured origin', async () => {
    const port = new URL(app.url).port
    const response = await send(`${app.boundUrl}/signin`, {
      method: 'POST',
      headers: {
        host: `localhost:${port}`,
        origin: `http://localhost:${port}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'party=authority&username=a&password=b',
    })
    expect(response.status).not.toBe(403)
  })

  it('in Chromium: the sign-in page opened at 127.0.0.1 ends up on the configured origin', async () => {
    const port = new URL(app.url).port
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      await page.goto(`${app.boundUrl}/signin`, { waitUntil: 'networkidle' })
      expect(page.url()).toBe(`http://localhost:${port}/signin`)
      // its form now posts from the configured origin (so the origin check lets it through)
      expect(await page.evaluate(() => window.location.origin)).toBe(`http://localhost:${port}`)
    } finally {
      await browser.close()
    }
  })
})

describe('changing requests from another origin, whatever their content type', () => {
  const own = () => `http://localhost:${new URL(app.url).port}`
  const hostHeader = () => `localhost:${new URL(app.url).port}`

  it('refuses a cross-origin sign-out without a form content type (it never runs)', async () => {
    const types: Record<string, string>[] = [
      {},
      { 'content-type': 'application/json' },
      { 'content-type': 'application/octet-stream' },
    ]
    for (const headers of types) {
      const response = await send(`${app.boundUrl}/signout`, {
        method: 'POST',
        headers: {
          host: hostHeader(),
          origin: 'http://evil.example',
          cookie: 'flora_wallet_session=x',
          ...headers,
        },
        body: '{}',
      })
      expect(response.status, JSON.stringify(headers)).toBe(403)
      expect(response.headers['set-cookie'], JSON.stringify(headers)).toBeUndefined()
    }
  })

  it('refuses a cross-origin JSON language switch, and every changing method', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const response = await send(`${app.boundUrl}/language`, {
        method,
        headers: { host: hostHeader(), origin: 'http://evil.example', 'content-type': 'application/json' },
        // a DELETE goes without a body (Node's server refuses one with 400 before the app sees it)
        ...(method === 'DELETE' ? {} : { body: '{"lang":"de"}' }),
      })
      expect(response.status, method).toBe(403)
      expect(response.headers['set-cookie'], method).toBeUndefined()
    }
  })

  it('still signs out from its own origin, and a form without an Origin stays refused', async () => {
    const same = await send(`${app.boundUrl}/signout`, {
      method: 'POST',
      headers: { host: hostHeader(), origin: own(), 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    })
    expect(same.status).toBe(303)
    const bare = await send(`${app.boundUrl}/signout`, {
      method: 'POST',
      headers: { host: hostHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    })
    expect(bare.status).toBe(403)
  })
})

describe('language switch with a body that is not its form', () => {
  it('answers 415 problem+json, not a server error, and logs no error for it or another 4xx', async () => {
    const port = new URL(app.url).port
    const before = app.logs().length
    const response = await send(`${app.boundUrl}/language`, {
      method: 'POST',
      headers: {
        host: `localhost:${port}`,
        origin: `http://localhost:${port}`,
        'content-type': 'application/json',
      },
      body: '{"lang":"de"}',
    })
    expect(response.status).toBe(415)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(JSON.parse(response.body)).toMatchObject({ status: 415 })
    const broken = await send(`${app.boundUrl}/language`, {
      method: 'POST',
      headers: {
        host: `localhost:${port}`,
        origin: `http://localhost:${port}`,
        'content-type': 'multipart/form-data; boundary=x',
      },
      body: 'not multipart',
    })
    expect(broken.status).toBe(400)
    // a page without form actions: SvelteKit's 405 passes through handleError
    const notAllowed = await send(`${app.boundUrl}/signin`, {
      method: 'PUT',
      headers: { host: `localhost:${port}`, origin: `http://localhost:${port}` },
    })
    expect(notAllowed.status).toBeGreaterThanOrEqual(400)
    expect(notAllowed.status).toBeLessThan(500)
    const switched = await send(`${app.boundUrl}/language`, {
      method: 'POST',
      headers: {
        host: `localhost:${port}`,
        origin: `http://localhost:${port}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'lang=de&returnTo=/signin',
    })
    expect(switched.status).toBe(303)
    const logged = app.logs().slice(before)
    expect(logged).not.toContain('"level":"error"')
    expect(logged).not.toContain('Internal error')
  })
})
