// Starts the real stack once for all browser tests: builds the web apps, writes throwaway secrets, applies the
// migrations to a fresh local database, runs `wrangler dev` on a free port and loads the demo. Torn down after.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { buildWeb } from '../../web/build.ts'
import { applyMigrations, devVarMakers, seedDemo, waitUntilUp } from '../../worker/dev/dev.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

export default async function setup(project: TestProject) {
  const started = Date.now()
  const report = await buildWeb({ quiet: true })
  console.log(
    `[e2e] web built; shop first load ${(report.firstLoad.shop.jsGzip / 1024).toFixed(1)} kB JS gzipped`,
  )

  const state = mkdtempSync(join(tmpdir(), 'e2e-stack-'))
  const envFile = join(state, 'e2e.vars')
  writeFileSync(
    envFile,
    `${Object.entries(devVarMakers)
      .map(([key, make]) => `${key}=${make()}`)
      .join('\n')}\n`,
  )
  applyMigrations(state)

  const [port, inspectorPort] = [await freePort(), await freePort()]
  const output: string[] = []
  const wrangler = spawn(
    'node_modules/.bin/wrangler',
    [
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      state,
      '--env-file',
      envFile,
      '--var',
      'ENVIRONMENT:development',
      '--var',
      'PAYMENT_PROVIDER:sandbox',
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
    ],
    { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  // Kept for the failure message; printed only if the stack does not come up.
  for (const stream of [wrangler.stdout, wrangler.stderr])
    stream?.on('data', (chunk) => output.push(String(chunk)))

  const base = `http://127.0.0.1:${port}`
  try {
    await waitUntilUp(`${base}/healthz`, 180_000)
    await seedDemo(base)
  } catch (error) {
    await stop(wrangler)
    rmSync(state, { recursive: true, force: true })
    throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output.join('').slice(-4000)}`)
  }
  console.log(`[e2e] stack up at ${base} in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  project.provide('baseUrl', base)

  return async () => {
    await stop(wrangler)
    rmSync(state, { recursive: true, force: true })
  }
}
