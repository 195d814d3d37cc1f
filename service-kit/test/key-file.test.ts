import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadOrCreateKeyFile } from '../src/key-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'flora-key-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loadOrCreateKeyFile', () => {
  it('creates a 0600 key once and reads the same key after, leaving nothing else behind', () => {
    const file = join(dir, 'one', 'service.kek')
    const first = loadOrCreateKeyFile(file)
    const again = loadOrCreateKeyFile(file)
    expect(first.created).toBe(true)
    expect(again.created).toBe(false)
    expect(again.key.equals(first.key)).toBe(true)
    expect(first.key).toHaveLength(32)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(join(dir, 'one'))).toEqual(['service.kek'])
  })

  it('gives processes of one service that start together the same key', async () => {
    const file = join(dir, 'race', 'service.kek')
    const module = resolve(import.meta.dirname, '../src/key-file.ts')
    const script = `import { loadOrCreateKeyFile } from ${JSON.stringify(module)}; process.stdout.write(loadOrCreateKeyFile(${JSON.stringify(file)}).key.toString('hex'))`
    const keys = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<string>((done, fail) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])
            let out = ''
            child.stdout.on('data', (chunk) => {
              out += chunk
            })
            child.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`exit ${code}`))))
          }),
      ),
    )
    expect(new Set(keys).size).toBe(1)
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/)
    expect(readdirSync(join(dir, 'race'))).toEqual(['service.kek'])
  })
})
