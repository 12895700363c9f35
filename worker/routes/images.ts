import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { imageKey, imageTypes } from '../domain/images.ts'
import type { AppEnv } from '../env.ts'
import { notFound } from '../problem.ts'
import { IMAGE_CACHE_CONTROL } from '../services/posters.ts'
import { validate } from '../validation.ts'

const binary = { type: 'string' as const, format: 'binary' }

/** Posters and site pictures, public: an image id names one upload, so answers are cached for a year. */
export const imageRoutes = new Hono<AppEnv>()

imageRoutes.get(
  '/:imageId/:width',
  describeRoute({
    tags: ['Shows (public)'],
    summary: 'A poster image of one width',
    description:
      'The URLs come from a poster’s `sizes` (events, scenic sites, the home listing). Immutable: `Cache-Control: ' +
      'public, max-age=31536000, immutable` and an `ETag`; `If-None-Match` with it answers 304.',
    responses: {
      200: {
        description: 'The image',
        content: Object.fromEntries(imageTypes.map((type) => [type, { schema: binary }])),
      },
      304: { description: 'Not modified (the `ETag` matched)' },
      404: { description: 'No such image' },
    },
  }),
  validate(
    'param',
    v.object({
      imageId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'an image id')),
      width: v.pipe(v.string(), v.regex(/^[1-9]\d{0,3}$/, 'a width in pixels')),
    }),
  ),
  async (c) => {
    const { imageId, width } = c.req.valid('param')
    const object = await c.env.IMAGES.get(imageKey(imageId, Number(width)), {
      onlyIf: c.req.raw.headers,
    })
    if (!object) throw notFound(`image ${imageId} at ${width} px`)
    const headers = new Headers()
    object.writeHttpMetadata(headers)
    headers.set('etag', object.httpEtag)
    headers.set('cache-control', IMAGE_CACHE_CONTROL)
    // A precondition that did not pass (If-None-Match matched) leaves the object without a body.
    if (!('body' in object)) return new Response(null, { status: 304, headers })
    return new Response(object.body, { headers })
  },
)
