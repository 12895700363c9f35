import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  type ChromiumFacts,
  chromiumPlan,
  DEBIAN_CHROMIUM,
  ensureChromium,
  installCommands,
} from '../e2e/chromium.ts'

const facts = (over: Partial<ChromiumFacts>): ChromiumFacts => ({
  executable: () => false,
  isRoot: false,
  hasAptGet: true,
  ...over,
})
const oneLine = (line: string) => expect(line).not.toContain('\n')

describe('what the test command does about Chromium', () => {
  it('runs the tests when Debian’s Chromium, or the one CHROMIUM_PATH names, is there', () => {
    const there = (path: string) => (p: string) => p === path
    expect(chromiumPlan(facts({ executable: there(DEBIAN_CHROMIUM) }))).toEqual({
      kind: 'ready',
      path: DEBIAN_CHROMIUM,
    })
    expect(chromiumPlan(facts({ customPath: '/opt/c/chrome', executable: there('/opt/c/chrome') }))).toEqual({
      kind: 'ready',
      path: '/opt/c/chrome',
    })
  })

  it('installs Debian’s chromium as root with apt-get', () => {
    expect(chromiumPlan(facts({ isRoot: true }))).toEqual({
      kind: 'install',
      path: DEBIAN_CHROMIUM,
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', 'chromium'],
      ],
    })
  })

  it('stops with one line naming the command to run when it cannot install', () => {
    const notRoot = chromiumPlan(facts({ isRoot: false }))
    expect(notRoot.kind).toBe('stop')
    if (notRoot.kind !== 'stop') return
    expect(notRoot.line).toContain('sudo apt-get install -y chromium')
    oneLine(notRoot.line)

    const noApt = chromiumPlan(facts({ isRoot: true, hasAptGet: false }))
    expect(noApt).toMatchObject({ kind: 'stop', line: expect.stringContaining('CHROMIUM_PATH') })
    if (noApt.kind === 'stop') oneLine(noApt.line)
  })

  it('never installs over a CHROMIUM_PATH that is wrong: it says so', () => {
    const plan = chromiumPlan(facts({ customPath: '/nowhere/chromium', isRoot: true }))
    expect(plan).toMatchObject({
      kind: 'stop',
      line: expect.stringContaining('CHROMIUM_PATH=/nowhere/chromium'),
    })
  })
})

describe('installing with apt-get', () => {
  let dir: string
  let log: string
  // A stand-in apt-get on PATH: records its arguments and DEBIAN_FRONTEND, "installs" by creating a marker file,
  // fails with 100 when told to.
  const fakeAptGet = (failOn?: 'update' | 'install') => {
    const script = join(dir, 'apt-get')
    writeFileSync(
      script,
      `#!/bin/sh
echo "$DEBIAN_FRONTEND $*" >> "${log}"
${failOn ? `[ "$1" = "${failOn}" ] && { echo "E: could not reach the mirror" >&2; exit 100; }` : ''}
[ "$1" = "install" ] && touch "${join(dir, 'installed')}"
exit 0
`,
    )
    chmodSync(script, 0o755)
  }
  const rootFacts = () =>
    facts({
      isRoot: true,
      executable: (path) => path === DEBIAN_CHROMIUM && existsSync(join(dir, 'installed')),
    })

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chromium-test-'))
    log = join(dir, 'calls.log')
    vi.stubEnv('PATH', `${dir}:${process.env.PATH}`)
    vi.spyOn(console, 'error').mockImplementation(() => {})
  })
  afterEach(() => {
    vi.unstubAllEnvs()
    vi.restoreAllMocks()
    rmSync(dir, { recursive: true, force: true })
  })

  it('updates, installs quietly, says so in one line, and lets the tests run', () => {
    fakeAptGet()
    const said: string[] = []
    expect(ensureChromium(rootFacts(), (line) => said.push(line))).toBeNull()
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(
      installCommands.map(([, ...args]) => `noninteractive ${args.join(' ')}`),
    )
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/installing Debian's chromium/)
  })

  it('stops with one line when apt-get fails, without going on to install', () => {
    fakeAptGet('update')
    const stop = ensureChromium(rootFacts(), () => {})
    expect(stop).toMatch(/^Installing chromium failed .*apt-get update && apt-get install -y chromium/)
    oneLine(stop!)
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['noninteractive update -qq'])
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('could not reach the mirror'))
  })

  it('stops when apt-get succeeded but the browser is still not there', () => {
    fakeAptGet()
    const stop = ensureChromium(facts({ isRoot: true, executable: () => false }), () => {})
    expect(stop).toMatch(/yet \/usr\/bin\/chromium is missing/)
  })
})

describe('node test/e2e/chromium.ts', () => {
  const script = join(import.meta.dirname, '..', 'e2e', 'chromium.ts')
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, ...env } })

  it('exits 0 silently when the browser is there', () => {
    const ok = run({ CHROMIUM_PATH: process.execPath })
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([0, '', ''])
  })

  it('exits 1 with one line when it is not', () => {
    const missing = run({ CHROMIUM_PATH: '/nowhere/chromium' })
    expect(missing.status).toBe(1)
    expect(missing.stdout).toBe('')
    expect(missing.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('CHROMIUM_PATH=/nowhere/chromium'),
    ])
  })
})
