import { and, asc, eq, gt, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import type { Database } from '../../db/client.ts'
import { partnerProducts, partners, salesChannels, visitProducts } from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { newPartnerKeyId, newPartnerSecret, sealPartnerSecret } from '../../services/partner-secrets.ts'
import { validate } from '../../validation.ts'
import {
  partnerCredentials,
  partnerPage,
  partnerProductList,
  partnerSchema,
} from '../contracts/admin/partners.ts'
import { json } from '../openapi.ts'
import { money, nonEmpty, page, pageQuery } from '../query.ts'

const tag = 'OTA partners (admin)'

/** After a rotation the old secret keeps verifying this long, so the partner can deploy the new one. */
export const SECRET_ROTATION_GRACE_HOURS = 24

const partnerInput = v.object({
  name: nonEmpty(),
  /** Code of one of the organizer's sales channels, e.g. `ctrip`. */
  salesChannelCode: v.pipe(v.string(), v.maxLength(32)),
  rateLimitPerMinute: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)), 600),
})

const productPrice = v.pipe(
  v.object({
    productId: v.pipe(v.string(), v.maxLength(64)),
    marketPrice: money,
    salePrice: money,
    settlementPrice: money,
  }),
  v.check((p) => p.settlementPrice <= p.salePrice, 'settlementPrice cannot exceed salePrice'),
)

type PartnerRow = typeof partners.$inferSelect
const publicPartner = (p: PartnerRow) => ({
  id: p.id,
  name: p.name,
  channel: p.channel,
  salesChannelId: p.salesChannelId,
  keyId: p.keyId,
  status: p.status,
  rateLimitPerMinute: p.rateLimitPerMinute,
  previousSecretExpiresAt: p.previousSecretExpiresAt,
  createdAt: p.createdAt,
})

const idParam = v.object({ organizerId: v.string(), partnerId: v.pipe(v.string(), v.maxLength(64)) })

export const partnerAdminRoutes = new Hono<StaffEnv>()
partnerAdminRoutes.use('*', requireOrganizerRole('owner'))

async function ownPartner(db: Database, organizerId: string, partnerId: string) {
  const [partner] = await db
    .select()
    .from(partners)
    .where(and(eq(partners.id, partnerId), eq(partners.organizerId, organizerId)))
  if (!partner) throw notFound(`partner ${partnerId}`)
  return partner
}

partnerAdminRoutes.post(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'Create an OTA partner bound to one sales channel; answers its API key and signing secret once',
    description:
      'The secret is shown only in this response (stored encrypted, needed to verify HMAC signatures). Owner role.',
    responses: {
      201: { description: 'The partner with `secret`', content: json(partnerCredentials) },
      400: { description: 'Unknown sales channel (code `validation`)' },
    },
  }),
  validate('json', partnerInput),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const input = c.req.valid('json')
    const db = c.get('db')
    const [channel] = await db
      .select()
      .from(salesChannels)
      .where(and(eq(salesChannels.organizerId, organizerId), eq(salesChannels.code, input.salesChannelCode)))
    if (!channel) {
      throw validationProblem([
        {
          path: 'json.salesChannelCode',
          message: `no sales channel ${input.salesChannelCode} in this organizer`,
        },
      ])
    }
    const id = newId('ptn')
    const secret = newPartnerSecret()
    const [row] = await db
      .insert(partners)
      .values({
        id,
        organizerId,
        name: input.name,
        salesChannelId: channel.id,
        channel: channel.code,
        keyId: newPartnerKeyId(),
        secretCiphertext: await sealPartnerSecret(c.env.SESSION_SECRET, id, secret),
        rateLimitPerMinute: input.rateLimitPerMinute,
      })
      .returning()
    return c.json({ ...publicPartner(row!), secret }, 201)
  },
)

partnerAdminRoutes.get(
  '/',
  describeRoute({
    tags: [tag],
    summary: 'The organizer’s partners (never their secrets)',
    responses: {
      200: {
        description: 'A page of partners',
        content: json(partnerPage),
      },
    },
  }),
  validate('query', v.object(pageQuery)),
  async (c) => {
    const organizerId = c.req.param('organizerId')!
    const { limit, cursor } = c.req.valid('query')
    const rows = await c
      .get('db')
      .select()
      .from(partners)
      .where(and(eq(partners.organizerId, organizerId), cursor ? gt(partners.id, cursor) : undefined))
      .orderBy(asc(partners.id))
      .limit(limit + 1)
    const result = page(rows, limit)
    return c.json({ ...result, items: result.items.map(publicPartner) })
  },
)

partnerAdminRoutes.get(
  '/:partnerId',
  describeRoute({
    tags: [tag],
    summary: 'A partner (never its secret)',
    responses: {
      200: { description: 'The partner', content: json(partnerSchema) },
      404: { description: 'No such partner' },
    },
  }),
  validate('param', idParam),
  async (c) => {
    const { organizerId, partnerId } = c.req.valid('param')
    return c.json(publicPartner(await ownPartner(c.get('db'), organizerId, partnerId)))
  },
)

partnerAdminRoutes.post(
  '/:partnerId/rotate-secret',
  describeRoute({
    tags: [tag],
    summary: 'Issue a new signing secret (shown once); the previous one keeps working for 24 hours',
    description: `Same key id. Requests signed with the replaced secret verify until \`previousSecretExpiresAt\` (${SECRET_ROTATION_GRACE_HOURS} h), so the partner can switch without downtime; a second rotation drops the older secret at once.`,
    responses: {
      200: { description: 'The partner with the new `secret`', content: json(partnerCredentials) },
    },
  }),
  validate('param', idParam),
  async (c) => {
    const { organizerId, partnerId } = c.req.valid('param')
    const partner = await ownPartner(c.get('db'), organizerId, partnerId)
    const secret = newPartnerSecret()
    const now = Date.now()
    const [row] = await c
      .get('db')
      .update(partners)
      .set({
        secretCiphertext: await sealPartnerSecret(c.env.SESSION_SECRET, partner.id, secret),
        previousSecretCiphertext: partner.secretCiphertext,
        previousSecretExpiresAt: new Date(now + SECRET_ROTATION_GRACE_HOURS * 3_600_000).toISOString(),
        updatedAt: new Date(now).toISOString(),
      })
      .where(eq(partners.id, partner.id))
      .returning()
    return c.json({ ...publicPartner(row!), secret })
  },
)

for (const [action, status] of [
  ['disable', 'disabled'],
  ['enable', 'active'],
] as const) {
  partnerAdminRoutes.post(
    `/:partnerId/${action}`,
    describeRoute({
      tags: [tag],
      summary:
        action === 'disable'
          ? 'Disable a partner: its signed requests are refused (`partner_disabled`) at once'
          : 'Enable a disabled partner again',
      responses: { 200: { description: 'The partner', content: json(partnerSchema) } },
    }),
    validate('param', idParam),
    async (c) => {
      const { organizerId, partnerId } = c.req.valid('param')
      const partner = await ownPartner(c.get('db'), organizerId, partnerId)
      const [row] = await c
        .get('db')
        .update(partners)
        .set({ status, updatedAt: new Date().toISOString() })
        .where(eq(partners.id, partner.id))
        .returning()
      return c.json(publicPartner(row!))
    },
  )
}

async function listProducts(db: Database, partnerId: string) {
  const rows = await db
    .select({
      productId: partnerProducts.productId,
      name: visitProducts.name,
      siteId: visitProducts.siteId,
      marketPrice: partnerProducts.marketPrice,
      salePrice: partnerProducts.salePrice,
      settlementPrice: partnerProducts.settlementPrice,
    })
    .from(partnerProducts)
    .innerJoin(visitProducts, eq(visitProducts.id, partnerProducts.productId))
    .where(eq(partnerProducts.partnerId, partnerId))
    .orderBy(asc(partnerProducts.productId))
  return { items: rows }
}

partnerAdminRoutes.get(
  '/:partnerId/products',
  describeRoute({
    tags: [tag],
    summary: 'Products the partner may sell, with its channel prices (minor units)',
    responses: { 200: { description: 'The products', content: json(partnerProductList) } },
  }),
  validate('param', idParam),
  async (c) => {
    const { organizerId, partnerId } = c.req.valid('param')
    const partner = await ownPartner(c.get('db'), organizerId, partnerId)
    return c.json(await listProducts(c.get('db'), partner.id))
  },
)

partnerAdminRoutes.put(
  '/:partnerId/products',
  describeRoute({
    tags: [tag],
    summary: 'Replace the products a partner may sell and their prices (market / sale / settlement)',
    description:
      'Scenic visit products of this organizer. `salePrice` is what the partner sells at, `settlementPrice` what it pays us (the order total), `marketPrice` the crossed-out list price.',
    responses: {
      200: { description: 'The products now', content: json(partnerProductList) },
      400: { description: 'Unknown product (code `validation`)' },
    },
  }),
  validate('param', idParam),
  validate('json', v.object({ items: v.pipe(v.array(productPrice), v.maxLength(500)) })),
  async (c) => {
    const { organizerId, partnerId } = c.req.valid('param')
    const partner = await ownPartner(c.get('db'), organizerId, partnerId)
    const { items } = c.req.valid('json')
    const db = c.get('db')
    const ids = [...new Set(items.map((i) => i.productId))]
    const known = ids.length
      ? await db
          .select({ id: visitProducts.id })
          .from(visitProducts)
          .where(and(eq(visitProducts.organizerId, organizerId), inArray(visitProducts.id, ids)))
      : []
    const errors = items.flatMap((item, i) =>
      known.some((k) => k.id === item.productId)
        ? []
        : [
            {
              path: `json.items.${i}.productId`,
              message: `no visit product ${item.productId} in this organizer`,
            },
          ],
    )
    if (ids.length !== items.length) errors.push({ path: 'json.items', message: 'each product at most once' })
    if (errors.length) throw validationProblem(errors)
    await db.batch([
      db.delete(partnerProducts).where(eq(partnerProducts.partnerId, partner.id)),
      ...items.map((item) => db.insert(partnerProducts).values({ partnerId: partner.id, ...item })),
    ])
    return c.json(await listProducts(db, partner.id))
  },
)
