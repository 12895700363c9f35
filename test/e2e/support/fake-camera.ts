// A video for Chromium's fake camera (`--use-file-for-fake-video-capture`): a still image, such as a
// ticket's QR code, centred on a white 640×480 frame and written as a few identical raw YUV 4:2:0 frames
// in a Y4M file (Chromium loops it). Grey only: the U and V planes are all 128.
import { writeFileSync } from 'node:fs'
import { PNG } from 'pngjs'

const WIDTH = 640
const HEIGHT = 480
const MARGIN = 16

export function writeQrVideo(png: Uint8Array, path: string, frames = 4) {
  const image = PNG.sync.read(Buffer.from(png))
  // Nearest-neighbour scaling keeps the modules sharp; the code fills the frame's height minus a margin.
  const side = Math.min(HEIGHT - 2 * MARGIN, Math.max(image.width, image.height))
  const scale = Math.max(image.width, image.height) / side
  const left = Math.floor((WIDTH - side) / 2)
  const top = Math.floor((HEIGHT - side) / 2)
  const luma = Buffer.alloc(WIDTH * HEIGHT, 255)
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sx = Math.min(image.width - 1, Math.floor(x * scale))
      const sy = Math.min(image.height - 1, Math.floor(y * scale))
      const offset = (sy * image.width + sx) * 4
      const grey =
        (image.data[offset]! * 299 + image.data[offset + 1]! * 587 + image.data[offset + 2]! * 114) / 1000
      luma[(top + y) * WIDTH + left + x] = Math.round(grey)
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128)
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma])
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]))
}
