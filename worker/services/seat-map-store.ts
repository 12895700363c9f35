import type { NormalizedChart } from '../domain/seat-chart.ts'
import { newId } from '../ids.ts'

const SEATS_PER_STATEMENT = 2_000

/** Replaces every seat of a venue in one D1 batch, so a failure leaves the old map intact. */
export async function replaceSeatMap(db: D1Database, venueId: string, chart: NormalizedChart) {
  const rows = chart.seats.map((seat) => ({ ...seat, id: newId('st') }))
  const statements = [db.prepare('DELETE FROM seats WHERE venue_id = ?').bind(venueId)]
  for (let i = 0; i < rows.length; i += SEATS_PER_STATEMENT) {
    // One bound JSON array per statement keeps under D1's 100-parameter limit for any chart size.
    statements.push(
      db
        .prepare(
          `INSERT INTO seats (id, venue_id, section, row, number, label, category, x, y, accessible, companion, restricted_view, blocked, ordinal)
           SELECT json_extract(value, '$.id'), ?1, json_extract(value, '$.section'), json_extract(value, '$.row'),
                  json_extract(value, '$.number'), json_extract(value, '$.label'), json_extract(value, '$.category'),
                  json_extract(value, '$.x'), json_extract(value, '$.y'), json_extract(value, '$.accessible'),
                  json_extract(value, '$.companion'), json_extract(value, '$.restrictedView'), json_extract(value, '$.blocked'),
                  json_extract(value, '$.ordinal')
           FROM json_each(?2)`,
        )
        .bind(venueId, JSON.stringify(rows.slice(i, i + SEATS_PER_STATEMENT))),
    )
  }
  statements.push(
    db
      .prepare(
        `UPDATE venues SET seat_count = ?2, seat_map_version = seat_map_version + 1, price_categories = ?3,
           stage_x = ?4, stage_y = ?5, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1`,
      )
      .bind(
        venueId,
        rows.length,
        JSON.stringify(chart.categories),
        chart.stage?.x ?? null,
        chart.stage?.y ?? null,
      ),
  )
  await db.batch(statements)
  const version = await db
    .prepare('SELECT seat_map_version AS v FROM venues WHERE id = ?')
    .bind(venueId)
    .first<number>('v')
  const sections = new Map<string, number>()
  for (const seat of rows) sections.set(seat.section, (sections.get(seat.section) ?? 0) + 1)
  return {
    seatMapVersion: version ?? 0,
    seatCount: rows.length,
    sections: [...sections].map(([name, count]) => ({ name, seats: count })),
  }
}
