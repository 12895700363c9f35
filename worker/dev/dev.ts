// `npm run dev`: prepares local settings, applies D1 migrations, starts `wrangler dev` and loads the demo.
// Runs on Node 22 (the project's devDependency) with its built-in TypeScript type stripping.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { freshKeySet } from './ticket-keys.ts'

const port = Number(process.env.PORT ?? 8787)
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }
const wrangler = 'node_modules/.bin/wrangler'

export const DEMO_PASSWORD = 'demo-password-2026'

/** Writes `.dev.vars` once with fresh local secrets; later runs keep what is there. */
function ensureDevVars() {
  const wanted: Record<string, () => string> = {
    ENVIRONMENT: () => 'development',
    SESSION_SECRET: () => randomBytes(32).toString('base64url'),
    SANDBOX_PAYMENT_SECRET: () => randomBytes(32).toString('base64url'),
    TICKET_SIGNING_KEYS: () => `'${JSON.stringify(freshKeySet())}'`,
    DEV_OWNER_EMAIL: () => 'owner@demo.local',
    DEV_OWNER_PASSWORD: () => DEMO_PASSWORD,
  }
  const current = existsSync('.dev.vars') ? readFileSync('.dev.vars', 'utf8') : ''
  const present = new Set(current.split('\n').map((line) => line.split('=')[0]?.trim()))
  const missing = Object.entries(wanted).filter(([key]) => !present.has(key))
  if (missing.length) {
    const lines = missing.map(([key, make]) => `${key}=${make()}`).join('\n')
    writeFileSync('.dev.vars', `${current}${current && !current.endsWith('\n') ? '\n' : ''}${lines}\n`)
    console.log(`[dev] wrote ${missing.map(([key]) => key).join(', ')} to .dev.vars`)
  }
}

function applyMigrations() {
  const result = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local'], {
    stdio: 'inherit',
    env,
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

async function waitUntilUp(url: string, timeoutMs = 120_000) {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
  throw new Error(`wrangler dev did not answer on ${url} within ${timeoutMs / 1000}s`)
}

async function main() {
  ensureDevVars()
  applyMigrations()
  const dev = spawn(
    wrangler,
    ['dev', '--port', String(port), '--ip', '127.0.0.1', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env,
    },
  )
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal))
  dev.on('exit', (code) => process.exit(code ?? 0))
  const base = `http://127.0.0.1:${port}`
  await waitUntilUp(`${base}/healthz`)
  const seeded = await fetch(`${base}/api/dev/seed`, { method: 'POST' })
  const summary = await seeded.json()
  if (!seeded.ok) {
    console.error('[dev] demo data failed to load', summary)
    return
  }
  console.log(`[dev] demo data ready: ${JSON.stringify(summary)}`)
  console.log(
    `[dev] site ${base}/  ·  API reference ${base}/docs  ·  dev mailbox ${base}/api/dev/mailbox/page`,
  )
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
