// Reads QR codes from the camera: the browser's BarcodeDetector where it exists (Android, macOS,
// ChromeOS), otherwise jsQR on canvas frames. jsQR is loaded with import() the first time it is needed,
// so it stays out of the app's first load.

export interface CameraScan {
  stop(): void
}

interface DetectedBarcode {
  rawValue: string
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike
  getSupportedFormats(): Promise<string[]>
}

type FrameDecoder = (video: HTMLVideoElement) => Promise<string | undefined>

/** How often a frame is looked at: fast enough to feel instant, light enough for a cheap phone. */
const FRAME_INTERVAL_MS = 100
/** Frames are scaled down to this width before jsQR reads them. */
const DECODE_WIDTH = 640

async function nativeDecoder(): Promise<FrameDecoder | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector
  if (!Detector) return undefined
  try {
    if (!(await Detector.getSupportedFormats()).includes('qr_code')) return undefined
  } catch {
    return undefined
  }
  const detector = new Detector({ formats: ['qr_code'] })
  return async (video) => (await detector.detect(video))[0]?.rawValue
}

async function jsQrDecoder(): Promise<FrameDecoder> {
  const { default: jsQR } = await import('jsqr')
  const canvas = document.createElement('canvas')
  const context = canvas.getContext('2d', { willReadFrequently: true })!
  return async (video) => {
    const scale = Math.min(1, DECODE_WIDTH / video.videoWidth)
    canvas.width = Math.round(video.videoWidth * scale)
    canvas.height = Math.round(video.videoHeight * scale)
    context.drawImage(video, 0, 0, canvas.width, canvas.height)
    const frame = context.getImageData(0, 0, canvas.width, canvas.height)
    return (
      jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'attemptBoth' })?.data || undefined
    )
  }
}

/** Which decoder this browser will use (shown to staff, useful when a phone scans slowly). */
export async function decoderKind(): Promise<'native' | 'js'> {
  return (await nativeDecoder()) ? 'native' : 'js'
}

/**
 * Streams the (rear) camera into `video` and calls `onCode` with each decoded text and the moment it was
 * decoded. Keeps going until `stop()`; the caller decides what to do with repeats.
 */
export async function startCameraScan(
  video: HTMLVideoElement,
  onCode: (text: string, decodedAt: number) => void,
): Promise<CameraScan> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: 'environment' },
    audio: false,
  })
  video.srcObject = stream
  video.muted = true
  video.playsInline = true
  await video.play()
  const decode = (await nativeDecoder()) ?? (await jsQrDecoder())
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = async () => {
    if (stopped) return
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      try {
        const text = await decode(video)
        if (text && !stopped) onCode(text, performance.now())
      } catch {
        // an unreadable frame: try the next one
      }
    }
    if (!stopped) timer = setTimeout(tick, FRAME_INTERVAL_MS)
  }
  void tick()
  return {
    stop() {
      stopped = true
      clearTimeout(timer)
      for (const track of stream.getTracks()) track.stop()
      video.srcObject = null
    },
  }
}
