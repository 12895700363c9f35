import { useEffect, useState } from 'preact/hooks'

/** A QR code drawn in the browser (the `qrcode` library, loaded on first use). */
export function QrImage({ payload, label, size }: { payload: string; label: string; size: number }) {
  const [src, setSrc] = useState<string>()
  useEffect(() => {
    let alive = true
    void import('qrcode')
      .then((mod) =>
        (mod.default ?? mod).toString(payload, { errorCorrectionLevel: 'M', margin: 2, type: 'svg' }),
      )
      .then((svg) => {
        if (alive) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`)
      })
    return () => {
      alive = false
    }
  }, [payload])
  return src ? (
    <img class="kiosk-qr" width={size} height={size} src={src} alt={label} data-payload={payload} />
  ) : (
    <span class="kiosk-qr" style={{ width: size, height: size }} aria-hidden="true" />
  )
}
