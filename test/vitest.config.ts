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
          ADMISSION_PASS_SECRET: 'test-admission-pass-secret',
          STRIPE_SECRET_KEY: 'sk_test_not_a_real_key',
          STRIPE_WEBHOOK_SECRET: 'whsec_test_secret',
          // A fresh key pair per run, exactly as `npm run dev` makes one; the previous key tests rotation.
          TICKET_SIGNING_KEYS: JSON.stringify(rotate(freshKeySet())),
          TEST_MIGRATIONS: await readD1Migrations(root('migrations')),
          // Small enough for tests to reach with real WebSocket upgrades (defaults: 5,000 and 20).
          LIVE_VIEWERS_PER_SHOW: '12',
          LIVE_VIEWERS_PER_CLIENT: '4',
          // A refused admitted buyer goes quiet after 1 s instead of 30, so a test can wait for it.
          WAITING_ROOM_REFUSED_IDLE_SECONDS: '1',
        },
        // The rate limit bindings of wrangler.toml with limits tests can reach. Tests that exercise a limit send
        // their own `cf-connecting-ip` (counted per address) or use fresh buyers, so they do not share counts;
        // everyone shares the one global count of sign-in codes, so that one rolls over every 10 s.
        ratelimits: {
          RATE_HOLDS_PER_CLIENT: { namespace_id: '1701', simple: { limit: 40, period: 60 } },
          RATE_HOLDS_PER_BUYER: { namespace_id: '1702', simple: { limit: 30, period: 60 } },
          // Above the sign-in guess limits per address (worker/services/sign-in-guesses.ts), so their tests meet those first.
          RATE_SIGN_IN_PER_CLIENT: { namespace_id: '1703', simple: { limit: 40, period: 60 } },
          RATE_SIGN_IN_CODES: { namespace_id: '1704', simple: { limit: 60, period: 10 } },
          RATE_PARTNER_PER_KEY: { namespace_id: '1705', simple: { limit: 100, period: 60 } },
          RATE_BEACONS_PER_CLIENT: { namespace_id: '1723', simple: { limit: 20, period: 60 } },
        },
      },
    })),
  ],
  test: {
    root: root(''),
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/bench/**', 'test/tools/**', '**/node_modules/**'],
    setupFiles: [root('test/setup.ts')],
    testTimeout: 30_000,
    silent: 'passed-only',
  },
})
