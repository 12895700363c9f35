import { fileURLToPath } from 'node:url'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { freshKeySet, rotate } from '../worker/dev/ticket-keys.ts'

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: root('wrangler.toml') },
      miniflare: {
        bindings: {
          ENVIRONMENT: 'test',
          // wrangler.toml names Stripe for deployments; tests pay through the offline sandbox.
          PAYMENT_PROVIDER: 'sandbox',
          // The plugin runs tests with `no_handle_cross_request_promise_resolution`, which batching holds across
          // requests in an isolate needs; holds go to the gateways one by one here and that tier is raced over
          // real HTTP in test/e2e/holds.e2e.ts.
          HOLD_BATCHING: 'gateway',
          SESSION_SECRET: 'test-session-secret-not-for-production',
          SANDBOX_PAYMENT_SECRET: 'test-sandbox-payment-secret',
          STRIPE_SECRET_KEY: 'sk_test_not_a_real_key',
          STRIPE_WEBHOOK_SECRET: 'whsec_test_secret',
          // A fresh key pair per run, exactly as `npm run dev` makes one; the previous key tests rotation.
          TICKET_SIGNING_KEYS: JSON.stringify(rotate(freshKeySet())),
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
