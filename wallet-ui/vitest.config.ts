import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../vitest.shared.ts'

// Kept apart from vite.config.ts on purpose: tests import plain TS modules from src/lib (relative
// paths, no $lib) and drive the *built* app over HTTP, so they need no SvelteKit plugin.
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      // The browser suite builds the app (~10 s) and starts Chromium (~1-2 s) in its setup.
      testTimeout: 60_000,
      hookTimeout: 300_000,
      // The browser suites share one build/ (ensureBuild) and each starts servers: one file at a time.
      fileParallelism: false,
    },
  }),
)
