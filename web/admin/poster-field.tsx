// The event form's poster: the organizer picks any image; the browser scales it to the poster widths (Workers
// cannot resize images locally) and uploads each as JPEG; the server checks the bytes and keeps every width.
import { useState } from 'preact/hooks'
import { POSTER_WIDTHS } from '../../worker/domain/images.ts'
import type { PosterRecord } from '../../worker/routes/contracts/images.ts'
import { api } from '../lib/api.ts'
import { Button, ProblemAlert } from '../lib/ui.tsx'
import { adminMessages } from './messages.ts'

/** The widths to make from an image `natural` px wide: never upscaled, at least one. */
export function widthsFor(natural: number): number[] {
  const fitting = POSTER_WIDTHS.filter((width) => width <= natural)
  return fitting.length ? fitting : [natural]
}

async function resized(file: File): Promise<File[]> {
  const bitmap = await createImageBitmap(file)
  try {
    return await Promise.all(
      widthsFor(bitmap.width).map(async (width) => {
        const height = Math.round((bitmap.height * width) / bitmap.width)
        const canvas = document.createElement('canvas')
        canvas.width = width
        canvas.height = height
        const context = canvas.getContext('2d')!
        context.imageSmoothingQuality = 'high'
        context.drawImage(bitmap, 0, 0, width, height)
        const blob = await new Promise<Blob>((resolve, reject) =>
          canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode failed'))), 'image/jpeg', 0.86),
        )
        return new File([blob], `poster-${width}.jpg`, { type: 'image/jpeg' })
      }),
    )
  } finally {
    bitmap.close()
  }
}

export function PosterField(props: { path: string; poster: PosterRecord | null }) {
  const t = adminMessages.useT()
  const [poster, setPoster] = useState(props.poster)
  const [state, setState] = useState<'idle' | 'busy' | 'saved' | 'removed' | 'unreadable'>('idle')
  const [error, setError] = useState<unknown>(null)

  const choose = async (event: Event) => {
    const input = event.target as HTMLInputElement
    const file = input.files?.[0]
    if (!file) return
    setError(null)
    setState('busy')
    let files: File[]
    try {
      files = await resized(file)
    } catch {
      setState('unreadable')
      input.value = ''
      return
    }
    const form = new FormData()
    for (const image of files) form.append('image', image)
    try {
      setPoster(await api<PosterRecord>(props.path, { method: 'PUT', body: form }))
      setState('saved')
    } catch (failure) {
      setError(failure)
      setState('idle')
    }
    input.value = ''
  }

  const remove = async () => {
    setError(null)
    try {
      await api(props.path, { method: 'DELETE' })
      setPoster(null)
      setState('removed')
    } catch (failure) {
      setError(failure)
    }
  }

  const preview = poster?.sizes[0]
  return (
    <fieldset class="stack poster-field" data-testid="poster-field">
      <legend>{t('poster_title')}</legend>
      {preview ? (
        <img
          src={preview.url}
          width={preview.width}
          height={preview.height}
          alt={t('poster_current')}
          style={{ width: '120px', height: 'auto', borderRadius: '6px' }}
        />
      ) : (
        <p class="muted">{t('poster_none')}</p>
      )}
      <label>
        {t('poster_choose')}
        <input type="file" accept="image/jpeg,image/png,image/webp" onChange={choose} name="poster" />
      </label>
      <p class="muted small">{t('poster_hint')}</p>
      {state === 'busy' && <p role="status">{t('poster_uploading')}</p>}
      {state === 'saved' && (
        <p role="status" class="alert alert-info">
          {t('poster_saved')}
        </p>
      )}
      {state === 'removed' && (
        <p role="status" class="alert alert-info">
          {t('poster_removed')}
        </p>
      )}
      {state === 'unreadable' && (
        <p role="alert" class="alert alert-error">
          {t('poster_notImage')}
        </p>
      )}
      <ProblemAlert error={error} />
      {poster && (
        <Button variant="secondary" onClick={remove}>
          {t('poster_remove')}
        </Button>
      )}
    </fieldset>
  )
}
