import { encodePng } from '../../worker/demo/png.ts'

/** A PNG of one colour, made by the demo's encoder (real bytes, decodable by any browser). */
export const flatPng = (width: number, height: number) =>
  encodePng({ width, height, pixels: new Uint8Array(width * height * 3).fill(200) })

/** The start of a baseline JPEG: SOI, an APP0 segment, then SOF0 with the size (enough to sniff). */
export function jpegHeader(width: number, height: number) {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3]
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, ...new Array(32).fill(0)])
}

/** A multipart body with one `image` part per file, as the admin console sends a poster. */
export function posterForm(files: { bytes: Uint8Array; name: string; type?: string }[]) {
  const form = new FormData()
  for (const file of files)
    form.append(
      'image',
      new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type ?? 'image/png' }),
    )
  return form
}
