// `npm run rotate-ticket-key`: rotates the ticket signing key.
// Locally it rewrites TICKET_SIGNING_KEYS in .dev.vars. With `--print` it reads the current secret from
// the TICKET_SIGNING_KEYS environment variable and prints the rotated one for
// `wrangler secret put TICKET_SIGNING_KEYS` (paste it when prompted).
import { readFileSync, writeFileSync } from 'node:fs'
import { type KeySet, rotate } from './ticket-keys.ts'

const print = process.argv.includes('--print')
if (print) {
  const current = process.env.TICKET_SIGNING_KEYS
  if (!current) {
    console.error('set TICKET_SIGNING_KEYS to the current secret value')
    process.exit(2)
  }
  console.log(JSON.stringify(rotate(JSON.parse(current) as KeySet)))
} else {
  const vars = readFileSync('.dev.vars', 'utf8')
  const line = vars.split('\n').find((l) => l.startsWith('TICKET_SIGNING_KEYS='))
  if (!line) {
    console.error('no TICKET_SIGNING_KEYS in .dev.vars; run npm run dev once first')
    process.exit(2)
  }
  const keys = JSON.parse(line.slice('TICKET_SIGNING_KEYS='.length).replace(/^'|'$/g, '')) as KeySet
  const next = rotate(keys)
  writeFileSync('.dev.vars', vars.replace(line, `TICKET_SIGNING_KEYS='${JSON.stringify(next)}'`))
  console.log(
    `rotated: new key ${next.current.kid}; still honoured: ${next.previous.map((k) => k.kid).join(', ')}`,
  )
}
