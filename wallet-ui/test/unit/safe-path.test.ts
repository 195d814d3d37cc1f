import { expect, it } from 'vitest'
import { safeReturnPath } from '../../src/lib/safe-path.ts'

it('keeps same-site paths, with their query', () => {
  expect(safeReturnPath('/')).toBe('/')
  expect(safeReturnPath('/cases/abc?tab=timeline')).toBe('/cases/abc?tab=timeline')
})

it('refuses anything that could leave the site (no open redirect)', () => {
  for (const value of [
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '',
    'cases',
  ]) {
    expect(safeReturnPath(value), value).toBe('/')
  }
  expect(safeReturnPath('/ok\r\nSet-Cookie: x=1')).toBe('/')
  expect(safeReturnPath(`/${'a'.repeat(3000)}`)).toBe('/')
  expect(safeReturnPath(null)).toBe('/')
})
