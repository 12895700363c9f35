// `show-actor-heap` (and `seat-map-answer`) as run.ts runs them: the show actor's heap at each size, measured by show-actor-heap.ts in
// Node 22 (a child process per size, which loads the actor's modules with --experimental-transform-types;
// run.ts itself only strips types). workerd gives a worker no heap figure, and its inspector was no help here:
// it does not answer HeapProfiler.collectGarbage, and Runtime.getHeapUsage read around a show's load (after a
// heap snapshot, which collects) did not move with the show's size, so the actor's heap is not the one it shows.
import { spawnSync } from 'node:child_process'
import type { measure } from './show-actor-heap.ts'

const round = (mb: number) => Math.round(mb * 10) / 10
export const ISOLATE_LIMIT_MB = 128

/**
 * The figures per size: `heapMbAt<size>` the show loaded, nothing sold; `heldHeapMbAt<size>` every seat in an
 * active hold; `loadPeakMbAt<size>` while loading (the rows read beside the layout being built); the headroom
 * under the isolate's 128 MB at the larger of the peak and the held state.
 */
export function showActorHeap(sizes: number[]) {
  const result: Record<string, unknown> = {
    name: 'show-actor-heap',
    layer: 'do',
    baseline: false,
    holdsPerSecond: 0,
    isolateLimitMb: ISOLATE_LIMIT_MB,
    measuredIn: "Node 22 (same V8 as workerd): the actor's modules over node:sqlite, heap after forced GC",
  }
  for (const seats of sizes) {
    const label = seats >= 1000 ? `${seats / 1000}k` : String(seats)
    const node = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--no-warnings',
        '--experimental-transform-types',
        'test/bench/show-actor-heap.ts',
        String(seats),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    )
    if (node.status !== 0) throw new Error(`show-actor-heap ${seats}: exit ${node.status}`)
    const at = JSON.parse(node.stdout) as ReturnType<typeof measure>
    result[`heapMbAt${label}`] = at.loadedMb
    result[`heldHeapMbAt${label}`] = at.allHeldMb
    result[`loadPeakMbAt${label}`] = at.loadPeakMb
    result[`headroomMbAt${label}`] = round(ISOLATE_LIMIT_MB - Math.max(at.loadPeakMb, at.allHeldMb))
    result[`fitsAt${label}`] = Math.max(at.loadPeakMb, at.allHeldMb) < ISOLATE_LIMIT_MB
    result[`at${label}`] = at
  }
  return result
}

/**
 * `seat-map-answer` per size (seat-map-answer.ts, a child process like the heap's): the one-shot answer's time and
 * bytes beside the overview's and one section's. The one-shot answer is the baseline of the same run.
 */
export function seatMapAnswer(sizes: number[]) {
  const result: Record<string, unknown> = {
    name: 'seat-map-answer',
    layer: 'do',
    baseline: false,
    holdsPerSecond: 0,
    measuredIn:
      "Node 22 (same V8 as workerd): the actor's view code, answer built and turned into JSON, median",
  }
  for (const seats of sizes) {
    const label = seats >= 1000 ? `${seats / 1000}k` : String(seats)
    const node = spawnSync(
      process.execPath,
      ['--no-warnings', '--experimental-transform-types', 'test/bench/seat-map-answer.ts', String(seats)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    )
    if (node.status !== 0) throw new Error(`seat-map-answer ${seats}: exit ${node.status}`)
    const at = JSON.parse(node.stdout) as Record<string, number>
    for (const key of ['wholeMs', 'wholeBytes', 'overviewMs', 'overviewBytes', 'sectionMs', 'sectionBytes'])
      result[`${key}At${label}`] = at[key]
    result[`at${label}`] = at
  }
  return result
}
