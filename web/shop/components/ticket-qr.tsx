// A ticket's QR code drawn in the browser (the `qrcode` library, loaded on first use so the shop's first
// load stays small): the page needs no request per code, works from a cached ticket list, and can redraw
// the code every step when the event adds a rotating code to it (`<token>~<code>`, read by gates whole).
import { useEffect, useState } from 'preact/hooks'

/** Error correction M and a 2-module margin, as the server's QR images (worker/services/ticket-qr.ts). */
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2, type: 'svg' } as const

export function TicketQr({ payload, alt }: { payload: string; alt: string }) {
  const [src, setSrc] = useState<string>()
  useEffect(() => {
    let alive = true
    void import('qrcode')
      // A CommonJS module: its exports arrive as the namespace's default.
      .then((mod) => (mod.default ?? mod).toString(payload, QR_OPTIONS))
      .then((svg) => {
        if (alive) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`)
      })
    return () => {
      alive = false
    }
  }, [payload])
  // The box keeps its size while the code is drawn, so nothing below it jumps.
  return src ? (
    <img class="qr" width={220} height={220} src={src} alt={alt} />
  ) : (
    <span class="qr qr-pending" aria-hidden="true" />
  )
}
