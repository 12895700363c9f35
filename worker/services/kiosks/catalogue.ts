// What a kiosk sells: its site's active ticket types, and a version (a hash of exactly that content) that each
// heartbeat answer carries, so a kiosk refetches as soon as the organizer changes a name, price or product.
import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { parentChildRules, scenicSites, visitProducts } from '../../db/schema.ts'
import type { KioskDevice } from './devices.ts'

export async function kioskCatalogue(db: Database, device: Pick<KioskDevice, 'siteId' | 'organizerId'>) {
  const [site] = await db
    .select()
    .from(scenicSites)
    .where(and(eq(scenicSites.id, device.siteId), eq(scenicSites.organizerId, device.organizerId)))
  const [products, children] = await Promise.all([
    db
      .select()
      .from(visitProducts)
      .where(and(eq(visitProducts.siteId, device.siteId), eq(visitProducts.status, 'active')))
      .orderBy(visitProducts.id),
    db
      .select({ id: parentChildRules.childProductId })
      .from(parentChildRules)
      .where(eq(parentChildRules.siteId, device.siteId)),
  ])
  // Child products (a cable car that needs a gate ticket) are left to the shop and the box office for now.
  const childIds = new Set(children.map((c) => c.id))
  const content = {
    site: site
      ? {
          id: site.id,
          name: site.name,
          nameEn: site.nameEn,
          timezone: site.timezone,
          timeSlots: site.timeSlots.map((s) => ({ code: s.code, start: s.start, end: s.end })),
        }
      : null,
    products: products
      .filter((p) => !childIds.has(p.id))
      .map((p) => ({
        id: p.id,
        name: p.name,
        nameEn: p.nameEn,
        ticketType: p.ticketType,
        price: p.price,
        timed: p.timed,
        realNameRequired: p.realNameRequired,
        pricing: p.pricing,
      })),
  }
  // Date prices and tiers are read with the day; they count in the version so a new date price is fetched too.
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(content)))
  const version = [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return { version, ...content, products: content.products.map(({ pricing: _, ...p }) => p) }
}
