// Posters: what an uploaded image is, read from its bytes (never from the name or the declared type), and the
// widths phones get. Pure: the worker validates uploads with it and the admin console resizes to its widths.

export const imageTypes = ['image/jpeg', 'image/png', 'image/webp'] as const
export type ImageType = (typeof imageTypes)[number]

/** The widths the admin console resizes a poster to before upload: a phone card and a high-density screen. */
export const POSTER_WIDTHS = [400, 800] as const
/** Widest image stored; the console never sends more than the largest poster width. */
export const MAX_IMAGE_WIDTH = 1600
export const MAX_IMAGE_HEIGHT = 3200
/** Largest single stored image; an 800 px JPEG or WebP is a tenth of this. */
export const MAX_IMAGE_BYTES = 1024 * 1024
/** At most this many widths per poster. */
export const MAX_POSTER_SIZES = 3

export interface ImageFacts {
  type: ImageType
  width: number
  height: number
}

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0))
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8)
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)
const u32be = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!)

function png(b: Uint8Array): ImageFacts | null {
  // Signature, then the IHDR chunk: length 13, "IHDR", width, height.
  if (b.length < 24 || !ascii(b, 1, 'PNG') || b[0] !== 0x89 || !ascii(b, 12, 'IHDR')) return null
  return { type: 'image/png', width: u32be(b, 16), height: u32be(b, 20) }
}

function jpeg(b: Uint8Array): ImageFacts | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return null
  // Walk the marker segments to the first start-of-frame (SOF0–SOF15 except DHT, JPG and DAC).
  let at = 2
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null
    const marker = b[at + 1]!
    if (marker === 0xff) {
      at++
      continue
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2
      continue
    }
    const length = u16be(b, at + 2)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { type: 'image/jpeg', height: u16be(b, at + 5), width: u16be(b, at + 7) }
    if (length < 2) return null
    at += 2 + length
  }
  return null
}

function webp(b: Uint8Array): ImageFacts | null {
  if (b.length < 30 || !ascii(b, 0, 'RIFF') || !ascii(b, 8, 'WEBP')) return null
  if (ascii(b, 12, 'VP8 ') && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)
    return { type: 'image/webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff }
  if (ascii(b, 12, 'VP8L') && b[20] === 0x2f) {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)
    return { type: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (ascii(b, 12, 'VP8X')) return { type: 'image/webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 }
  return null
}

/** The image's type and pixel size from its first bytes, or null when it is not a JPEG, PNG or WebP. */
export function sniffImage(bytes: Uint8Array): ImageFacts | null {
  const facts = png(bytes) ?? jpeg(bytes) ?? webp(bytes)
  return facts && facts.width > 0 && facts.height > 0 ? facts : null
}

/** Why an image's pixel size cannot be a poster's, or null when it can. */
export function posterSizeProblem(facts: ImageFacts): string | null {
  if (facts.width > MAX_IMAGE_WIDTH || facts.height > MAX_IMAGE_HEIGHT)
    return `is ${facts.width}×${facts.height} px; at most ${MAX_IMAGE_WIDTH}×${MAX_IMAGE_HEIGHT}`
  return null
}

/** A stored poster: one image per width, each served at its own immutable URL. */
export interface Poster {
  id: string
  type: ImageType
  sizes: { width: number; height: number; url: string }[]
}

/** Where a poster's image of one width is served (and what its R2 key is made of). */
export const imageUrl = (imageId: string, width: number) => `/api/images/${imageId}/${width}`
export const imageKey = (imageId: string, width: number) => `images/${imageId}/${width}`

/** The `srcset` of a poster: every stored width. */
export const posterSrcSet = (poster: Poster) =>
  poster.sizes.map((size) => `${size.url} ${size.width}w`).join(', ')
