import { describe, expect, it } from 'vitest'
import { MAX_IMAGE_BYTES, sniffImage } from '../../../worker/domain/images.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import { flatPng, jpegHeader, posterForm } from '../../support/images.ts'

const upload = (client: ApiClient, path: string, form: FormData) =>
  client.fetch(path, { method: 'PUT', body: form })

describe('event posters', () => {
  it('stores each width an organizer uploads and serves it publicly with a long cache, an ETag and 304', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const path = `${show.base}/events/${show.eventId}/poster`
    const [small, large] = [await flatPng(400, 600), await flatPng(800, 1200)]
    const poster = await ok(
      upload(
        show.manager,
        path,
        posterForm([
          { bytes: large, name: 'large.png' },
          { bytes: small, name: 'small.png' },
        ]),
      ),
    )
    expect(poster.sizes.map((s: { width: number; height: number }) => [s.width, s.height])).toEqual([
      [400, 600],
      [800, 1200],
    ])
    expect((await ok(show.owner.get(`${show.base}/events/${show.eventId}`))).poster).toEqual(poster)

    const shopper = new ApiClient()
    const res = await shopper.get(poster.sizes[0].url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const body = new Uint8Array(await res.arrayBuffer())
    expect(body).toEqual(small)
    expect(sniffImage(body)).toEqual({ type: 'image/png', width: 400, height: 600 })
    const etag = res.headers.get('etag')!
    expect(etag).toMatch(/^"[0-9a-f]+"$/)
    const again = await shopper.fetch(poster.sizes[0].url, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect((await again.arrayBuffer()).byteLength).toBe(0)

    // A new poster gets new URLs; the old images are gone, so nothing stale is cached under a live URL.
    const next = await ok(
      upload(show.owner, path, posterForm([{ bytes: jpegHeader(400, 500), name: 'p.jpg' }])),
    )
    expect(next.id).not.toBe(poster.id)
    expect(next.type).toBe('image/jpeg')
    expect((await shopper.get(poster.sizes[1].url)).status).toBe(404)
    expect((await shopper.get(next.sizes[0].url)).headers.get('content-type')).toBe('image/jpeg')

    expect((await show.owner.delete(path)).status).toBe(204)
    expect((await ok(show.owner.get(`${show.base}/events/${show.eventId}`))).poster).toBeNull()
    expect((await shopper.get(next.sizes[0].url)).status).toBe(404)
  })

  it('refuses what is not an image, too large, too wide or doubled, with problem+json, and keeps the old poster', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const path = `${show.base}/events/${show.eventId}/poster`
    const kept = await ok(
      upload(show.owner, path, posterForm([{ bytes: await flatPng(40, 60), name: 'a.png' }])),
    )

    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')
    const notImage = await upload(
      show.owner,
      path,
      posterForm([{ bytes: svg, name: 'poster.png', type: 'image/png' }]),
    )
    expect(notImage.status).toBe(415)
    expect(await problemOf(notImage)).toMatchObject({
      code: 'unsupported_media_type',
      detail: 'poster.png is not a JPEG, PNG or WebP image',
    })

    const huge = new Uint8Array(MAX_IMAGE_BYTES + 1)
    huge.set(await flatPng(8, 8))
    const tooLarge = await upload(show.owner, path, posterForm([{ bytes: huge, name: 'huge.png' }]))
    expect(tooLarge.status).toBe(413)
    expect((await problemOf(tooLarge)).code).toBe('payload_too_large')

    const wide = await upload(
      show.owner,
      path,
      posterForm([{ bytes: jpegHeader(4000, 3000), name: 'w.jpg' }]),
    )
    expect(await problemOf(wide)).toMatchObject({
      code: 'validation',
      errors: [{ path: 'form.image[0]', message: expect.stringContaining('4000×3000') }],
    })
    const doubled = await upload(
      show.owner,
      path,
      posterForm([
        { bytes: jpegHeader(400, 600), name: 'a.jpg' },
        { bytes: jpegHeader(400, 600), name: 'b.jpg' },
      ]),
    )
    expect((await problemOf(doubled)).errors).toEqual([
      { path: 'form.image[1]', message: 'a second image 400 px wide' },
    ])
    const none = await show.owner.fetch(path, { method: 'PUT', body: new FormData() })
    expect((await problemOf(none)).code).toBe('validation')
    const json = await show.owner.put(path, { image: 'x' })
    expect(json.status).toBe(415)

    expect((await ok(show.owner.get(`${show.base}/events/${show.eventId}`))).poster).toEqual(kept)
  })

  it('lets only the organizer’s owners and managers set a poster', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const other = await showOnSale(gridChart(1, 4))
    const form = async () => posterForm([{ bytes: await flatPng(40, 60), name: 'a.png' }])
    const gate = await upload(show.gate, `${show.base}/events/${show.eventId}/poster`, await form())
    expect((await problemOf(gate)).code).toBe('forbidden')
    const foreign = await upload(show.owner, `${show.base}/events/${other.eventId}/poster`, await form())
    expect((await problemOf(foreign)).code).toBe('not_found')
    const anonymous = await upload(
      new ApiClient(),
      `${show.base}/events/${show.eventId}/poster`,
      await form(),
    )
    expect((await problemOf(anonymous)).code).toBe('unauthorized')
  })
})
