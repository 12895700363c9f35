import { describe, expect, it } from 'vitest'
import { posterSizeProblem, sniffImage } from '../../../worker/domain/images.ts'
import { flatPng, jpegHeader } from '../../support/images.ts'

const riff = (chunk: string, body: number[]) =>
  new Uint8Array(
    [...'RIFF']
      .map((c) => c.charCodeAt(0))
      .concat(
        [0, 0, 0, 0],
        [...`WEBP${chunk}`].map((c) => c.charCodeAt(0)),
        [0, 0, 0, 0],
        body,
        new Array(16).fill(0),
      ),
  )

describe('image sniffing', () => {
  it('reads type and pixel size from the bytes of a PNG, JPEG and each WebP flavour', async () => {
    expect(sniffImage(await flatPng(40, 60))).toEqual({ type: 'image/png', width: 40, height: 60 })
    expect(sniffImage(jpegHeader(800, 1200))).toEqual({ type: 'image/jpeg', width: 800, height: 1200 })
    // Lossy: frame tag, start code 9d 01 2a, then 14-bit width and height (little-endian).
    expect(sniffImage(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x90, 0x01, 0x58, 0x02]))).toEqual({
      type: 'image/webp',
      width: 400,
      height: 600,
    })
    // Lossless: signature 2f, then width-1 and height-1 in 14 bits each.
    const bits = 399 | (599 << 14)
    expect(
      sniffImage(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24])),
    ).toEqual({
      type: 'image/webp',
      width: 400,
      height: 600,
    })
    // Extended: flags, 3 reserved bytes, canvas width-1 and height-1 in 24 bits each.
    expect(sniffImage(riff('VP8X', [0, 0, 0, 0, 0x1f, 0x03, 0, 0x57, 0x04, 0]))).toEqual({
      type: 'image/webp',
      width: 800,
      height: 1112,
    })
  })

  it('refuses what only claims to be an image: GIF, SVG, text named .png, truncated headers', () => {
    const text = (s: string) => new TextEncoder().encode(s)
    expect(sniffImage(text('GIF89a\u0001\u0000\u0001\u0000'))).toBeNull()
    expect(sniffImage(text('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBeNull()
    expect(sniffImage(text('just some text, named poster.png'))).toBeNull()
    expect(sniffImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull()
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull()
  })

  it('says why a size cannot be a poster', () => {
    expect(posterSizeProblem({ type: 'image/png', width: 800, height: 1200 })).toBeNull()
    expect(posterSizeProblem({ type: 'image/png', width: 4000, height: 3000 })).toContain('4000×3000')
  })
})
