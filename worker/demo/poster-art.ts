// The demo's posters, drawn at seed time (nothing copied, no image files in git): a space film, a symphony gala
// and a mountain site. Each is a function of the position in the picture, so every width shows the same poster.
import { encodePng, type Raster } from './png.ts'

type Rgb = readonly [number, number, number]
/** Paints one pixel: `u` across (0–1), `v` down (0–1), `aspect` height / width. */
type Painter = (u: number, v: number, aspect: number) => Rgb

const mix = (a: Rgb, b: Rgb, t: number): Rgb => {
  const k = Math.min(1, Math.max(0, t))
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k]
}
const hex = (text: string): Rgb => [
  Number.parseInt(text.slice(1, 3), 16),
  Number.parseInt(text.slice(3, 5), 16),
  Number.parseInt(text.slice(5, 7), 16),
]
/** A repeatable pseudo-random value in [0, 1) for a grid cell. */
const noise = (x: number, y: number) => {
  const s = Math.sin(x * 127.1 + y * 311.7) * 43758.5453
  return s - Math.floor(s)
}
/** Distance in widths (so circles stay round whatever the aspect). */
const dist = (u: number, v: number, aspect: number, cu: number, cv: number) =>
  Math.hypot(u - cu, (v - cv) * aspect)

const space: Painter = (u, v, aspect) => {
  let colour = mix(hex('#0b1033'), hex('#3b1a5a'), v)
  const cell = 0.012
  const [cx, cy] = [Math.floor(u / cell), Math.floor((v * aspect) / cell)]
  if (
    noise(cx, cy) < 0.05 &&
    dist(u, v, aspect, (cx + 0.5) * cell, ((cy + 0.5) * cell) / aspect) < cell * 0.2
  )
    colour = mix(colour, [255, 255, 255], 0.6 + noise(cy, cx) * 0.4)
  const d = dist(u, v, aspect, 0.6, 0.4)
  // A ring tilted around the planet: in front of it below its centre line, behind it above.
  const [du, dv] = [u - 0.6, (v - 0.4) * aspect]
  const [ru, rv] = [du * 0.94 + dv * 0.34, -du * 0.34 + dv * 0.94]
  const ring = Math.abs((ru / 0.46) ** 2 + (rv / 0.09) ** 2 - 1) < 0.16
  if (ring && d >= 0.27) colour = mix(hex('#f3d9a4'), hex('#c9975b'), Math.abs(ru) * 2)
  if (d < 0.27) colour = mix(hex('#f08a4b'), hex('#7a2a52'), (du + dv) * 2.2 + 0.5)
  if (ring && d < 0.27 && rv > 0) colour = mix(hex('#f3d9a4'), hex('#c9975b'), Math.abs(ru) * 2)
  if (dist(u, v, aspect, 0.22, 0.78) < 0.07) colour = mix(hex('#d7dce8'), hex('#7d8597'), (u - 0.15) * 7)
  return colour
}

const gala: Painter = (u, v, aspect) => {
  let colour = mix(hex('#4a0b18'), hex('#a8322d'), v)
  const d = dist(u, v, aspect, 0.5, 0.36)
  if (d < 0.42 && (d * 16) % 1 < 0.1) colour = mix(hex('#f2d27a'), colour, d * 2.2)
  if (d < 0.05) colour = hex('#f7e3a1')
  if (v > 0.74) {
    colour = hex('#2a0a10')
    const slot = (u - 0.12) / 0.056
    const pipe = Math.floor(slot)
    const height = 0.08 + 0.09 * Math.abs(Math.sin(pipe * 0.7))
    if (u > 0.12 && u < 0.88 && slot - pipe < 0.62 && v > 0.9 - height && v < 0.95)
      colour = mix(hex('#e9c46a'), hex('#a67c2e'), (slot - pipe) * 1.6)
  }
  return colour
}

const mountain: Painter = (u, v, aspect) => {
  let colour = mix(hex('#8ecae6'), hex('#eef6f2'), v * 1.3)
  if (dist(u, v, aspect, 0.76, 0.2) < 0.07) colour = hex('#fff1c1')
  const ridges: [number, number, number, string][] = [
    [0.46, 0.12, 3.1, '#8fb3a7'],
    [0.6, 0.1, 5.3, '#4f8a6a'],
    [0.76, 0.07, 7.7, '#25583c'],
  ]
  for (const [i, [base, amp, freq, tone]] of ridges.entries()) {
    const ridge = base - amp * Math.abs(Math.sin(u * freq + i)) - 0.03 * Math.sin(u * 23 + i * 2)
    if (v > ridge) {
      colour = hex(tone)
      // Tea terraces on the nearest slope; mist lying at the foot of the farther ones.
      if (i === 2 && (v * 60 + Math.sin(u * 9) * 2) % 1 < 0.22) colour = mix(colour, hex('#7fb069'), 0.6)
      if (i < 2) colour = mix(colour, [255, 255, 255], Math.max(0, (v - ridge - 0.05) * 4))
    }
  }
  return colour
}

function draw(painter: Painter, width: number, height: number): Raster {
  const pixels = new Uint8Array(width * height * 3)
  const aspect = height / width
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = painter((x + 0.5) / width, (y + 0.5) / height, aspect)
      pixels.set([r, g, b], (y * width + x) * 3)
    }
  return { width, height, pixels }
}

export const demoPosterArt = { space, gala, mountain } as const
export type DemoPosterArt = keyof typeof demoPosterArt

/** A demo poster at each width (height from `aspect`), as PNG bytes. */
export function drawDemoPoster(art: DemoPosterArt, widths: readonly number[], aspect: number) {
  return Promise.all(
    widths.map(async (width) => {
      const height = Math.round(width * aspect)
      return { width, height, bytes: await encodePng(draw(demoPosterArt[art], width, height)) }
    }),
  )
}
