import * as v from 'valibot'

// Schemas of a venue's section names (worker/domain/section-names.ts): the console's input and what responses carry.

export const sectionNameSchema = v.object({
  key: v.pipe(v.string(), v.trim(), v.minLength(1, 'is required'), v.maxLength(64)),
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'is required'), v.maxLength(100)),
  nameEn: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(100),
      v.transform((text) => text || undefined),
    ),
  ),
})

export const sectionNamesSchema = v.pipe(
  v.array(sectionNameSchema),
  v.maxLength(200),
  v.check((list) => new Set(list.map((s) => s.key)).size === list.length, 'section keys must be unique'),
)

/** A section's names as responses carry them (beside the key, where a response names sections). */
export const sectionNameView = v.object({
  key: v.string(),
  name: v.string(),
  nameEn: v.optional(v.string()),
})
