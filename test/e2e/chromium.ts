// The browser tests drive Debian's Chromium (never a downloaded build). `npm test` and `npm run test:e2e` run this
// first: nothing to do when Chromium is there; as root with apt-get (a fresh Debian machine or container) it
// installs Debian's `chromium`; otherwise it stops with one line saying what to run. It never lets the tests
// start without a browser.
import { spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DEBIAN_CHROMIUM = '/usr/bin/chromium'

/** The browser the e2e tests launch: `CHROMIUM_PATH` when set, else Debian's. */
export const chromiumPath = (env: NodeJS.ProcessEnv = process.env) => env.CHROMIUM_PATH || DEBIAN_CHROMIUM

export interface ChromiumFacts {
  /** `CHROMIUM_PATH` as set, if it is. */
  customPath?: string
  executable: (path: string) => boolean
  isRoot: boolean
  /** apt-get is on PATH. */
  hasAptGet: boolean
}

export type ChromiumPlan =
  | { kind: 'ready'; path: string }
  | { kind: 'install'; path: string; commands: string[][] }
  | { kind: 'stop'; line: string }

export const installCommands = [
  ['apt-get', 'update', '-qq'],
  ['apt-get', 'install', '-y', '-qq', 'chromium'],
]

/** What to do about the browser, from what the machine offers. */
export function chromiumPlan(facts: ChromiumFacts): ChromiumPlan {
  const path = facts.customPath || DEBIAN_CHROMIUM
  if (facts.executable(path)) return { kind: 'ready', path }
  if (facts.customPath) {
    return {
      kind: 'stop',
      line: `CHROMIUM_PATH=${path} is not an executable: point it at a Chromium binary, or unset it to use Debian's chromium (${DEBIAN_CHROMIUM}).`,
    }
  }
  if (facts.isRoot && facts.hasAptGet) return { kind: 'install', path, commands: installCommands }
  if (facts.hasAptGet) {
    return {
      kind: 'stop',
      line: `The browser tests need Chromium (${DEBIAN_CHROMIUM} is missing): run \`sudo apt-get install -y chromium\`, then \`npm test\` again.`,
    }
  }
  return {
    kind: 'stop',
    line: `The browser tests need Chromium (${DEBIAN_CHROMIUM} is missing): install it with your system's package manager (Debian: \`sudo apt-get install -y chromium\`) or set CHROMIUM_PATH to a Chromium binary, then \`npm test\` again.`,
  }
}

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

const onPath = (command: string, env: NodeJS.ProcessEnv) =>
  (env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, command)))

/** The facts of this machine and process. */
export function machineFacts(env: NodeJS.ProcessEnv = process.env): ChromiumFacts {
  return {
    customPath: env.CHROMIUM_PATH || undefined,
    executable: isExecutable,
    isRoot: process.getuid?.() === 0,
    hasAptGet: onPath('apt-get', env),
  }
}

/** Makes sure Chromium is there; returns the line to print and stop with, or null when the tests may run. */
export function ensureChromium(facts: ChromiumFacts = machineFacts(), log = console.log): string | null {
  const plan = chromiumPlan(facts)
  if (plan.kind === 'ready') return null
  if (plan.kind === 'stop') return plan.line
  log(`Chromium is missing (${plan.path}): installing Debian's chromium with apt-get for the browser tests…`)
  for (const [command, ...args] of plan.commands) {
    const run = spawnSync(command!, args, {
      encoding: 'utf8',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    if (run.status !== 0) {
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`.trim()
      if (output) console.error(output.split('\n').slice(-15).join('\n'))
      return `Installing chromium failed (\`${[command, ...args].join(' ')}\`, above): run \`apt-get update && apt-get install -y chromium\` yourself, then \`npm test\` again.`
    }
  }
  if (!facts.executable(plan.path)) {
    return `apt-get installed chromium, yet ${plan.path} is missing: set CHROMIUM_PATH to the Chromium binary, then \`npm test\` again.`
  }
  return null
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const stop = ensureChromium()
  if (stop) {
    console.error(stop)
    process.exit(1)
  }
}
