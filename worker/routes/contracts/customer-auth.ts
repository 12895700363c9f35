import * as v from 'valibot'

export const customerSchema = v.object({
  id: v.string(),
  /** The email (lower-cased) or phone number signed in with. */
  contact: v.string(),
  contactKind: v.picklist(['email', 'phone']),
  name: v.nullable(v.string()),
})

export const codeSentSchema = v.object({ sent: v.literal(true), expiresInMinutes: v.number() })

export type Customer = v.InferOutput<typeof customerSchema>
