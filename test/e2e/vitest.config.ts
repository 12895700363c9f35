// Browser end-to-end tests: Node runs them, Debian's Chromium renders the pages, the real stack (wrangler dev,
// local D1 and Durable Objects, demo data) is started once by ./stack.ts. Files run one after another: the
// machine has two cores and the browser plus workerd need both.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('../..', import.meta.url))

export default defineConfig({
  test: {
    root,
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/stack.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    retry: 0,
    // expect.poll waits for the page, never for a fixed time; on two busy cores that can take a while.
    expect: { poll: { timeout: 30_000, interval: 100 } },
  },
})
