import * as v from 'valibot'
import { imageTypes } from '../../domain/images.ts'

/** A poster: one image per width (`url` is immutable; a new upload gets new URLs). Use the sizes as a `srcset`. */
export const posterSchema = v.object({
  id: v.string(),
  type: v.picklist(imageTypes),
  sizes: v.array(v.object({ width: v.number(), height: v.number(), url: v.string() })),
})

export type PosterRecord = v.InferOutput<typeof posterSchema>
