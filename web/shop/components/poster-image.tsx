// A poster at the width the screen needs: every stored width in `srcset`, the card's size in `sizes`, and the
// image's own width and height so the card does not jump while it loads. No poster: a tinted block instead.
import type { PosterRecord } from '../../../worker/routes/contracts/images.ts'

export function PosterImage(props: { poster: PosterRecord | null; sizes: string; class: string }) {
  const { poster } = props
  if (!poster || poster.sizes.length === 0)
    return <div class={`${props.class} poster-none`} aria-hidden="true" />
  const smallest = poster.sizes[0]!
  return (
    <img
      class={props.class}
      src={smallest.url}
      srcset={poster.sizes.map((size) => `${size.url} ${size.width}w`).join(', ')}
      sizes={props.sizes}
      width={smallest.width}
      height={smallest.height}
      loading="lazy"
      decoding="async"
      // The card's heading names the event; the picture adds nothing a screen reader needs.
      alt=""
    />
  )
}
