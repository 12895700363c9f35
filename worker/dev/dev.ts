// `npm run dev`: prepares local settings, applies D1 migrations, builds the web apps (and rebuilds them on
// change), starts `wrangler dev` and loads the demo. Runs on Node 22 (the project's devDependency) with its
// built-in TypeScript type stripping. The browser tests (test/e2e) start their own stack with these functions.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { freshKeySet } from './ticket-keys.ts'

const port = Number(process.env.PORT ?? 8787)
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }
const wrangler = 'node_modules/.bin/wrangler'

export const DEMO_PASSWORD = 'demo-password-2026'

/** The local settings and freshly generated secrets a development stack needs (values as written to a vars file). */
export const devVarMakers: Record<string, () => string> = {
  ENVIRONMENT: () => 'development',
  // wrangler.toml names Stripe for deployments; locally the offline sandbox takes the payments.
  PAYMENT_PROVIDER: () => 'sandbox',
  SESSION_SECRET: () => randomBytes(32).toString('base64url'),
  SANDBOX_PAYMENT_SECRET: () => randomBytes(32).toString('base64url'),
  ADMISSION_PASS_SECRET: () => randomBytes(32).toString('base64url'),
  TICKET_SIGNING_KEYS: () => `'${JSON.stringify(freshKeySet())}'`,
  DEV_OWNER_EMAIL: () => 'owner@demo.local',
  DEV_OWNER_PASSWORD: () => DEMO_PASSWORD,
}

/** Writes `.dev.vars` once with fresh local secrets; later runs keep what is there. */
function ensureDevVars() {
  const wanted = devVarMakers
  const current = existsSync('.dev.vars') ? readFileSync('.dev.vars', 'utf8') : ''
  const present = new Set(current.split('\n').map((line) => line.split('=')[0]?.trim()))
  const missing = Object.entries(wanted).filter(([key]) => !present.has(key))
  if (missing.length) {
    const lines = missing.map(([key, make]) => `${key}=${make()}`).join('\n')
    writeFileSync('.dev.vars', `${current}${current && !current.endsWith('\n') ? '\n' : ''}${lines}\n`)
    console.log(`[dev] wrote ${missing.map(([key]) => key).join(', ')} to .dev.vars`)
  }
}

/** Applies the D1 migrations to the local database (or the one under `persistTo`). */
export function applyMigrations(persistTo?: string) {
  const args = ['d1', 'migrations', 'apply', 'DB', '--local']
  if (persistTo) args.push('--persist-to', persistTo)
  const result = spawnSync(wrangler, args, { stdio: persistTo ? 'pipe' : 'inherit', env })
  if (result.status !== 0) throw new Error(`D1 migrations failed: ${result.stderr ?? ''}`)
}

export async function waitUntilUp(url: string, timeoutMs = 120_000) {
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

/** Loads the demo catalogue through the development-only seed route; returns its summary. */
export async function seedDemo(base: string): Promise<unknown> {
  const seeded = await fetch(`${base}/api/dev/seed`, { method: 'POST' })
  const summary = await seeded.json()
  if (!seeded.ok) throw new Error(`demo data failed to load: ${JSON.stringify(summary)}`)
  return summary
}

/**
 * Builds the web apps and keeps rebuilding them on change, in its own process (`node web/build.ts --watch`: the
 * worker's tooling does not import the web build). Resolves once the first build is on disk.
 */
function watchWeb(): Promise<ChildProcess> {
  const ready = '[web] built;'
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['web/build.ts', '--watch'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let started = false
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (text: string) => {
      process.stdout.write(text)
      if (!started && text.includes(ready)) {
        started = true
        resolve(child)
      }
    })
    child.on('exit', (code) => {
      if (!started) reject(new Error(`the web build failed (exit ${code})`))
      else if (code !== null) console.error(`[dev] the web build watcher stopped (exit ${code})`)
    })
  })
}

async function main() {
  ensureDevVars()
  applyMigrations()
  const web = await watchWeb()
  const dev = spawn(
    wrangler,
    ['dev', '--port', String(port), '--ip', '127.0.0.1', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env,
    },
  )
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      web.kill(signal)
      dev.kill(signal)
    })
  }
  dev.on('exit', (code) => {
    web.kill()
    process.exit(code ?? 0)
  })
  const base = `http://127.0.0.1:${port}`
  await waitUntilUp(`${base}/healthz`)
  let summary: unknown
  try {
    summary = await seedDemo(base)
  } catch (error) {
    console.error(`[dev] ${(error as Error).message}`)
    return
  }
  console.log(`[dev] demo data ready: ${JSON.stringify(summary)}`)
  console.log(
    `[dev] site ${base}/  ·  API reference ${base}/docs  ·  dev mailbox ${base}/api/dev/mailbox/page`,
  )
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
