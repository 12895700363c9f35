import { eq } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { events, scenicSites } from '../db/schema.ts'
import { POSTER_WIDTHS } from '../domain/images.ts'
import { storePoster } from '../services/posters.ts'
import { demoIds as ids } from './demo-data.ts'
import { type DemoPosterArt, drawDemoPoster } from './poster-art.ts'

const demoPosters: {
  table: typeof events | typeof scenicSites
  id: string
  art: DemoPosterArt
  aspect: number
}[] = [
  { table: events, id: ids.filmEvent, art: 'space', aspect: 3 / 2 },
  { table: events, id: ids.concertEvent, art: 'gala', aspect: 3 / 2 },
  { table: events, id: ids.arenaEvent, art: 'gala', aspect: 3 / 2 },
  { table: scenicSites, id: ids.scenicSite, art: 'mountain', aspect: 3 / 4 },
]

/**
 * Gives the demo events and site a poster drawn now (PNG at the console's widths) when they have none, so a
 * fresh database and one made before posters existed both show them. A poster set or removed by hand stays.
 */
export async function seedDemoPosters(db: Database, bucket: R2Bucket): Promise<number> {
  let drawn = 0
  for (const { table, id, art, aspect } of demoPosters) {
    const [row] = await db.select({ poster: table.poster }).from(table).where(eq(table.id, id))
    if (!row || row.poster) continue
    const sizes = await drawDemoPoster(art, POSTER_WIDTHS, aspect)
    const poster = await storePoster(
      bucket,
      sizes.map(({ width, height, bytes }) => ({ bytes, facts: { type: 'image/png', width, height } })),
      `img_demo_${art}`,
    )
    await db.update(table).set({ poster }).where(eq(table.id, id))
    drawn++
  }
  return drawn
}
