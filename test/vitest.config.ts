import { fileURLToPath } from 'node:url'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: root('wrangler.toml') },
      miniflare: {
        bindings: {
          ENVIRONMENT: 'test',
          SESSION_SECRET: 'test-session-secret-not-for-production',
          SANDBOX_PAYMENT_SECRET: 'test-sandbox-payment-secret',
          STRIPE_SECRET_KEY: 'sk_test_not_a_real_key',
          STRIPE_WEBHOOK_SECRET: 'whsec_test_secret',
          TEST_MIGRATIONS: await readD1Migrations(root('migrations')),
        },
      },
    })),
  ],
  test: {
    root: root(''),
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/bench/**', '**/node_modules/**'],
    setupFiles: [root('test/setup.ts')],
    testTimeout: 30_000,
    silent: 'passed-only',
  },
})
