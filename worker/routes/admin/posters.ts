import { and, eq } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { events, scenicSites } from '../../db/schema.ts'
import type { FieldError } from '../../domain/field-errors.ts'
import {
  MAX_IMAGE_BYTES,
  MAX_POSTER_SIZES,
  type Poster,
  posterSizeProblem,
  sniffImage,
} from '../../domain/images.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, Problem, validationProblem } from '../../problem.ts'
import { type CheckedImage, deletePosterImages, storePoster } from '../../services/posters.ts'
import { validate } from '../../validation.ts'
import { posterSchema } from '../contracts/images.ts'
import { json } from '../openapi.ts'

/** Room for the multipart framing around the largest images allowed. */
const MAX_BODY_BYTES = MAX_POSTER_SIZES * MAX_IMAGE_BYTES + 64 * 1024

const owners = {
  events: { table: events, noun: 'event', tag: 'Catalogue: events' },
  'scenic-sites': { table: scenicSites, noun: 'scenic site', tag: 'Catalogue: scenic sites' },
} as const
type Owner = keyof typeof owners

const idParams = v.object({ organizerId: v.string(), id: v.pipe(v.string(), v.maxLength(64)) })

/** Reads the uploaded widths of one poster: each must be a JPEG, PNG or WebP (by its bytes), small, distinct. */
async function readImages(c: Context<StaffEnv>): Promise<CheckedImage[]> {
  const type = c.req.header('content-type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data'))
    throw new Problem({
      code: 'unsupported_media_type',
      detail: 'Send multipart/form-data with one `image` part per width',
    })
  if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES) throw tooLarge()
  const form = await c.req.parseBody({ all: true })
  const parts = ([] as unknown[]).concat(form.image ?? [])
  const files = parts.filter((part): part is File => part instanceof File)
  if (files.length === 0 || files.length !== parts.length)
    throw validationProblem([{ path: 'form.image', message: 'send at least one image file' }])
  if (files.length > MAX_POSTER_SIZES)
    throw validationProblem([{ path: 'form.image', message: `at most ${MAX_POSTER_SIZES} widths` }])
  const images: CheckedImage[] = []
  const errors: FieldError[] = []
  for (const [i, file] of files.entries()) {
    if (file.size > MAX_IMAGE_BYTES) throw tooLarge(file.name)
    const bytes = new Uint8Array(await file.arrayBuffer())
    const facts = sniffImage(bytes)
    if (!facts)
      throw new Problem({
        code: 'unsupported_media_type',
        detail: `${file.name || `image ${i + 1}`} is not a JPEG, PNG or WebP image`,
      })
    const problem = posterSizeProblem(facts)
    if (problem) errors.push({ path: `form.image[${i}]`, message: problem })
    else if (images.some((image) => image.facts.width === facts.width))
      errors.push({ path: `form.image[${i}]`, message: `a second image ${facts.width} px wide` })
    else images.push({ bytes, facts })
  }
  if (errors.length) throw validationProblem(errors)
  return images
}

const tooLarge = (name?: string) =>
  new Problem({
    code: 'payload_too_large',
    detail: `${name ? `${name}: ` : ''}each image may be at most ${MAX_IMAGE_BYTES / 1024} KiB (resize it first)`,
  })

async function currentPoster(c: Context<StaffEnv>, owner: Owner, organizerId: string, id: string) {
  const { table, noun } = owners[owner]
  const [row] = await c
    .get('db')
    .select({ poster: table.poster })
    .from(table)
    .where(and(eq(table.id, id), eq(table.organizerId, organizerId)))
  if (!row) throw notFound(`${noun} ${id}`)
  return row.poster
}

async function setPoster(
  c: Context<StaffEnv>,
  owner: Owner,
  organizerId: string,
  id: string,
  poster: Poster | null,
) {
  const { table } = owners[owner]
  await c
    .get('db')
    .update(table)
    .set({ poster, updatedAt: new Date().toISOString() })
    .where(and(eq(table.id, id), eq(table.organizerId, organizerId)))
}

/** Upload and removal of posters for events and scenic sites (images in the IMAGES R2 bucket). */
export const posterRoutes = new Hono<StaffEnv>()

for (const owner of Object.keys(owners) as Owner[]) {
  const { noun, tag } = owners[owner]
  posterRoutes.put(
    `/${owner}/:id/poster`,
    describeRoute({
      tags: [tag],
      summary: `Set the ${noun}’s poster`,
      description:
        'multipart/form-data with one `image` part per width (the console sends 400 and 800 px, resized in the browser). ' +
        'Each part must be a JPEG, PNG or WebP by its bytes (`unsupported_media_type` otherwise), at most 1 MiB ' +
        '(`payload_too_large`) and 1600×3200 px, one per width (`validation`). Replaces any earlier poster.',
      requestBody: {
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: { image: { type: 'array', items: { type: 'string', format: 'binary' } } },
              required: ['image'],
            },
          },
        },
      },
      responses: {
        200: { description: 'The stored poster with a URL per width', content: json(posterSchema) },
        400: { description: 'Code `validation`: no image, too many, too wide, or two of one width' },
        404: { description: `No such ${noun}` },
        413: { description: 'Code `payload_too_large`' },
        415: {
          description: 'Code `unsupported_media_type`: not multipart, or a part is not a JPEG/PNG/WebP',
        },
      },
    }),
    requireOrganizerRole('owner', 'manager'),
    validate('param', idParams),
    async (c) => {
      const { organizerId, id } = c.req.valid('param')
      const before = await currentPoster(c, owner, organizerId, id)
      const poster = await storePoster(c.env.IMAGES, await readImages(c))
      try {
        await setPoster(c, owner, organizerId, id, poster)
      } catch (error) {
        await deletePosterImages(c.env.IMAGES, poster)
        throw error
      }
      if (before) await deletePosterImages(c.env.IMAGES, before)
      return c.json(poster)
    },
  )

  posterRoutes.delete(
    `/${owner}/:id/poster`,
    describeRoute({
      tags: [tag],
      summary: `Remove the ${noun}’s poster`,
      responses: {
        204: { description: 'Removed, or there was none' },
        404: { description: `No such ${noun}` },
      },
    }),
    requireOrganizerRole('owner', 'manager'),
    validate('param', idParams),
    async (c) => {
      const { organizerId, id } = c.req.valid('param')
      const before = await currentPoster(c, owner, organizerId, id)
      if (before) {
        await setPoster(c, owner, organizerId, id, null)
        await deletePosterImages(c.env.IMAGES, before)
      }
      return c.body(null, 204)
    },
  )
}
