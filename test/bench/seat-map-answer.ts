// `seat-map-answer`: what the shop's seat map answer costs the show actor at a venue's size (issue 22, big
// venues): the one-shot answer (every seat as an object, JSON) beside the overview (per section: box and free
// seats per category) and one section's seats. The actor's own view code (seat-map-sections.ts, views.ts) over a
// show loaded by its own store code (show-actor-heap.ts `loadedShow`, node:sqlite standing in for its SQLite), in
// Node 22 (the same V8 as workerd); a tenth of the seats held first, so states vary. Times are the median of the
// runs, each building the answer and turning it into JSON (what the route sends); the RPC hop is not included.
// Run: node --experimental-transform-types test/bench/seat-map-answer.ts <seats>; prints one JSON line.
import {
  SECTIONED_SEAT_MAP_FROM,
  seatMapOverview,
  seatMapSection,
} from '../../durable-objects/show-inventory/seat-map-sections.ts'
import { seatMap } from '../../durable-objects/show-inventory/views.ts'
import { loadedShow } from './show-actor-heap.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

function timed(runs: number, answer: () => unknown) {
  const times: number[] = []
  let bytes = 0
  for (let k = 0; k < runs; k++) {
    const started = performance.now()
    bytes = Buffer.byteLength(JSON.stringify(answer()))
    times.push(performance.now() - started)
  }
  return { ms: round(median(times), 2), bytes }
}

export function measure(seats: number) {
  const sales = loadedShow(seats)
  const now = Date.now()
  // A tenth of the seats held, 1–4 at a time, best available (the state column then varies like an on-sale's).
  for (let i = 0, held = 0; held < seats / 10; i++) {
    const quantity = 1 + (i % 4)
    const outcome = sales.hold(
      {
        holderId: `buy_${i}`,
        ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        best: { category: 'A', quantity, allowSplit: true },
      },
      now,
      now + 15 * 60_000,
      [],
    )
    if (!('id' in outcome)) break
    held += quantity
  }
  const firstStarted = performance.now()
  seatMapOverview(sales, now)
  const firstOverviewMs = round(performance.now() - firstStarted, 2)
  const overview = timed(21, () => seatMapOverview(sales, now))
  const section = timed(21, () => seatMapSection(sales, 'S1'))
  const whole = timed(seats > 100_000 ? 3 : 5, () => seatMap(sales, now))
  return {
    seats,
    sections: seatMapOverview(sales, now).areas.length,
    sectionedFrom: SECTIONED_SEAT_MAP_FROM,
    wholeMs: whole.ms,
    wholeBytes: whole.bytes,
    overviewMs: overview.ms,
    overviewBytes: overview.bytes,
    /** The first overview of a loaded show also builds the section index (once per load). */
    firstOverviewMs,
    sectionMs: section.ms,
    sectionBytes: section.bytes,
  }
}

if (import.meta.main) console.log(JSON.stringify(measure(Number(process.argv[2] ?? 50_000))))
