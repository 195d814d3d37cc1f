import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium (apt-get install -y chromium); CHROMIUM_PATH points elsewhere if needed. */
export const chromiumPath = (env: Record<string, string | undefined> = process.env) =>
  env.CHROMIUM_PATH || '/usr/bin/chromium'

/**
 * Headless (see launchChromium), no GPU, no QUIC, and nothing that contacts outside services: the test
 * machines reach only loopback and the npm registry.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

export class ChromiumMissing extends Error {
  constructor(path: string) {
    super(
      `Chromium not found at ${path}. The wallet-ui browser tests need a real Chromium and never skip.\n` +
        'Install it with: apt-get update && apt-get install -y chromium   (Debian; gives /usr/bin/chromium)\n' +
        'or set CHROMIUM_PATH to a Chromium binary. Do not run `playwright install` (it downloads browsers).',
    )
    this.name = 'ChromiumMissing'
  }
}

export async function launchChromium(
  env: Record<string, string | undefined> = process.env,
): Promise<Browser> {
  const executablePath = chromiumPath(env)
  if (!existsSync(executablePath)) throw new ChromiumMissing(executablePath)
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs })
}
