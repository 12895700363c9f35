// A QR code drawn as SVG squares from the well-kept `qrcode` library's module matrix (no canvas, no data: URL, so the
// pages' Content-Security-Policy stays as strict as it is, and it prints sharp at any size). Console, box office, kiosk.
import QRCode from 'qrcode'

export function QrCode(props: { text: string; label: string; testId?: string }) {
  const { modules } = QRCode.create(props.text, { errorCorrectionLevel: 'M' })
  const size = modules.size
  const quiet = 4
  let path = ''
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) if (modules.get(x, y)) path += `M${x + quiet} ${y + quiet}h1v1h-1z`
  return (
    <svg
      viewBox={`0 0 ${size + quiet * 2} ${size + quiet * 2}`}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      shape-rendering="crispEdges"
    >
      <rect width="100%" height="100%" fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  )
}
