// `npm run deploy` runs this first: it refuses to deploy a configuration that could not sell safely (the sandbox
// payment provider, a placeholder database, missing secrets) instead of finding out at the first request.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parse } from 'smol-toml'
import { type DeployConfig, deployConfigProblems } from '../deployment.ts'

const config = parse(readFileSync('wrangler.toml', 'utf8')) as DeployConfig
const listed = spawnSync('node_modules/.bin/wrangler', ['secret', 'list', '--format', 'json'], {
  encoding: 'utf8',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
})
let secrets: string[] | null = null
try {
  secrets = (JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name)
} catch {
  secrets = null
}
const problems = deployConfigProblems(config, secrets)
if (secrets === null)
  problems.push(
    `could not list the worker's secrets (wrangler secret list: ${listed.stderr.trim().split('\n').pop()})`,
  )
if (problems.length) {
  console.error(`Not deploying:\n- ${problems.join('\n- ')}\nSee README, "Deploying to Cloudflare".`)
  process.exit(1)
}
console.log('[deploy] configuration checked')
