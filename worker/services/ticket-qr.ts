import { PNG } from 'pngjs'
import QRCode from 'qrcode'

// QR codes from the well-kept `qrcode` library, error correction M (about 15% of the code may be
// damaged or covered and still scan). Tokens stay ≤ 300 characters, so the symbol stays ≤ version 15.

export const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const

export function ticketQrSvg(token: string): Promise<string> {
  return QRCode.toString(token, { ...QR_OPTIONS, type: 'svg' })
}

/** PNG for wallets and printing: the library's QR matrix, drawn module by module and encoded by pngjs. */
export async function ticketQrPng(token: string, scale = 6): Promise<Uint8Array<ArrayBuffer>> {
  const { modules } = QRCode.create(token, { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel })
  const margin = QR_OPTIONS.margin
  const side = (modules.size + margin * 2) * scale
  const png = new PNG({ width: side, height: side })
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const row = Math.floor(y / scale) - margin
      const col = Math.floor(x / scale) - margin
      const dark = row >= 0 && col >= 0 && row < modules.size && col < modules.size && modules.get(row, col)
      const offset = (y * side + x) * 4
      const shade = dark ? 0 : 255
      png.data[offset] = shade
      png.data[offset + 1] = shade
      png.data[offset + 2] = shade
      png.data[offset + 3] = 255
    }
  }
  return new Uint8Array(PNG.sync.write(png))
}

/** The QR version (size) a token needs at error correction M. */
export function qrVersion(token: string): number {
  return QRCode.create(token, { errorCorrectionLevel: 'M' }).version
}
