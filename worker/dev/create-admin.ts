// `npm run create-admin -- <email> [--remote]`: creates (or resets) a platform admin in D1.
// The password is read from ADMIN_PASSWORD so it never lands in shell history or in git.
import { spawnSync } from 'node:child_process'
import { pbkdf2Sync, randomBytes } from 'node:crypto'

const [email, ...flags] = process.argv.slice(2)
const password = process.env.ADMIN_PASSWORD
if (!email || !/^[^@\s]+@[^@\s]+$/.test(email) || !password || password.length < 10) {
  console.error('usage: ADMIN_PASSWORD=<at least 10 chars> npm run create-admin -- <email> [--remote]')
  process.exit(2)
}
// Same format as worker/services/password.ts: pbkdf2-sha256$iterations$salt$hash (base64url).
const iterations = 100_000
const salt = randomBytes(16)
const hash = pbkdf2Sync(password, salt, iterations, 32, 'sha256')
const stored = `pbkdf2-sha256$${iterations}$${salt.toString('base64url')}$${hash.toString('base64url')}`
const id = `usr_${randomBytes(10).toString('hex')}`
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`
const sql =
  `INSERT INTO staff_users (id, email, name, password_hash, platform_admin) VALUES (${quote(id)}, ${quote(email.toLowerCase())}, ` +
  `${quote(email)}, ${quote(stored)}, 1) ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, platform_admin = 1, ` +
  'session_version = session_version + 1; ' +
  // Wrong guesses counted against the account (all addresses) are forgotten with the reset.
  `DELETE FROM staff_sign_in_guesses WHERE key = ${quote(`e:${email.toLowerCase()}`)} OR ` +
  `substr(key, 1, ${`ea:${email.toLowerCase()} `.length}) = ${quote(`ea:${email.toLowerCase()} `)};`
const where = flags.includes('--remote') ? '--remote' : '--local'
const result = spawnSync('node_modules/.bin/wrangler', ['d1', 'execute', 'DB', where, '--command', sql], {
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
})
process.exit(result.status ?? 1)
