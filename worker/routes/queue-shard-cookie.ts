import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { MAX_SHARDS } from '../domain/waiting-room.ts'
import type { AppEnv } from '../env.ts'

// Which shard of an on-sale's queue holds this buyer's place. A place joined with an ID number lives in the ID
// hash's shard, which later reads cannot compute without the number, so the join remembers the shard here. Not
// trusted: the service checks the shard has the buyer's place and falls back to the buyer id's shard; a forged
// value can only show a buyer their own place (or none).

/** Cookie names take no `:` (the on-sale is `show:<id>` or `day:<site>:<date>`). */
const cookieName = (onSale: string) => `queue_shard_${onSale.replace(/[^A-Za-z0-9_-]/g, '_')}`

export function rememberedShard(c: Context<AppEnv>, onSale: string): number | undefined {
  const value = getCookie(c, cookieName(onSale))
  if (value === undefined || !/^\d{1,2}$/.test(value)) return undefined
  const shard = Number(value)
  return shard < MAX_SHARDS ? shard : undefined
}

export function rememberShard(c: Context<AppEnv>, onSale: string, shard: number) {
  if (rememberedShard(c, onSale) === shard) return
  setCookie(c, cookieName(onSale), String(shard), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: 2 * 24 * 3600,
  })
}
