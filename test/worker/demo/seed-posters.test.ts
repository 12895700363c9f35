import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { demoIds } from '../../../worker/demo/demo-data.ts'
import { loadDemo } from '../../../worker/demo/seed.ts'
import { sniffImage } from '../../../worker/domain/images.ts'
import { ApiClient } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'

describe('demo posters', () => {
  it('draws a poster per demo event and the site at both widths, once, and the shop home lists them', async () => {
    const settings = { ownerEmail: 'owner@demo.local', password: 'demo-password-2026', images: env.IMAGES }
    await loadDemo(env.DB, settings)
    const home = await ok(new ApiClient().get('/api/listings'))
    const film = home.events.find((e: { id: string }) => e.id === demoIds.filmEvent)
    expect(film.poster.sizes.map((s: { width: number; height: number }) => [s.width, s.height])).toEqual([
      [400, 600],
      [800, 1200],
    ])
    expect(film.shows).toHaveLength(6)
    const site = home.sites.find((s: { id: string }) => s.id === demoIds.scenicSite)
    expect(site.poster.sizes[1]).toMatchObject({ width: 800, height: 600 })

    const image = await new ApiClient().get(film.poster.sizes[0].url)
    expect(sniffImage(new Uint8Array(await image.arrayBuffer()))).toEqual({
      type: 'image/png',
      width: 400,
      height: 600,
    })
    await loadDemo(env.DB, settings)
    const again = await ok(new ApiClient().get('/api/listings'))
    expect(again.events.find((e: { id: string }) => e.id === demoIds.filmEvent).poster).toEqual(film.poster)
  })
})
