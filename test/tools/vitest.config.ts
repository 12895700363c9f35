// Tests of the Node tooling (worker/dev scripts, the e2e browser check) run in Node itself: they read files,
// spawn processes and use the TypeScript parser, none of which the workerd pool of test/vitest.config.ts offers.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/tools/**/*.test.ts'],
    environment: 'node',
  },
})
