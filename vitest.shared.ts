import { defineConfig } from 'vitest/config'

// One place for the settings every package's vitest run shares.
export const sharedTestConfig = defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI_JSON_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI_JSON_REPORT ? { json: '.vitest-report.json' } : undefined,
  },
})
