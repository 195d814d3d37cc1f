import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChromiumMissing, chromiumPath, launchChromium } from '../browser/chromium.ts'
import { pageRoutes } from '../browser/routes.ts'

describe('browser harness', () => {
  it('fails (never skips) with install instructions when Chromium is missing', async () => {
    const env = { CHROMIUM_PATH: '/nonexistent/chromium' }
    expect(chromiumPath(env)).toBe('/nonexistent/chromium')
    await expect(launchChromium(env)).rejects.toThrow(ChromiumMissing)
    await expect(launchChromium(env)).rejects.toThrow(/apt-get install -y chromium/)
  })

  it('enumerates page routes from the folder tree: groups vanish, parameters need examples', () => {
    const root = mkdtempSync(join(tmpdir(), 'routes-'))
    const page = (dir: string, file = '+page.svelte') => {
      mkdirSync(join(root, dir), { recursive: true })
      writeFileSync(join(root, dir, file), '')
    }
    page('.')
    page('(staff)/cases')
    page('(staff)/cases/[caseId]')
    page('verify/[[lang]]', '+page@.svelte')
    page('reports/[id=uuid]')
    mkdirSync(join(root, 'health'))
    writeFileSync(join(root, 'health', '+server.ts'), '')
    const examples = { caseId: 'case 1', id: 'r-1' }
    expect(pageRoutes(root, examples)).toEqual(['/', '/cases', '/cases/case%201', '/reports/r-1', '/verify'])
    expect(() => pageRoutes(root, { caseId: 'x' })).toThrow(/\[id\] with no example value/)
  })
})
