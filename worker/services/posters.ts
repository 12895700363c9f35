import { type ImageFacts, imageKey, imageUrl, type Poster } from '../domain/images.ts'
import { newId } from '../ids.ts'

export interface CheckedImage {
  bytes: Uint8Array
  facts: ImageFacts
}

/** A year: each URL names one immutable image (a new upload is a new image id). */
export const IMAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable'

/** Stores every width of a poster in R2 under a fresh image id; nothing is stored if one put fails. */
export async function storePoster(
  bucket: R2Bucket,
  images: CheckedImage[],
  imageId = newId('img'),
): Promise<Poster> {
  const sorted = [...images].sort((a, b) => a.facts.width - b.facts.width)
  try {
    await Promise.all(
      sorted.map((image) =>
        bucket.put(imageKey(imageId, image.facts.width), image.bytes, {
          httpMetadata: { contentType: image.facts.type, cacheControl: IMAGE_CACHE_CONTROL },
          customMetadata: { height: String(image.facts.height) },
        }),
      ),
    )
  } catch (error) {
    await deletePosterImages(bucket, { id: imageId, sizes: sorted.map((i) => i.facts) })
    throw error
  }
  return {
    id: imageId,
    // Sizes may mix types only if the uploader sent them so; the poster names its largest image's.
    type: sorted.at(-1)!.facts.type,
    sizes: sorted.map(({ facts }) => ({
      width: facts.width,
      height: facts.height,
      url: imageUrl(imageId, facts.width),
    })),
  }
}

/** Removes a replaced or deleted poster's images. */
export async function deletePosterImages(
  bucket: R2Bucket,
  poster: Pick<Poster, 'id'> & { sizes: { width: number }[] },
) {
  await bucket.delete(poster.sizes.map((size) => imageKey(poster.id, size.width)))
}
