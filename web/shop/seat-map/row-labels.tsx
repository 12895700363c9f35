// Row labels in a strip at the map's left edge, level with their rows wherever the view is, so a buyer
// zoomed into the middle of a section still reads which row they look at.
import type { Box, RowLine, View } from './geometry.ts'

export function RowLabels(props: {
  rows: RowLine[]
  view: View
  size: { w: number; h: number }
  visible: Box
}) {
  const { view, size, visible } = props
  const placed: { key: string; row: string; top: number }[] = []
  const taken = new Set<number>()
  for (const line of props.rows) {
    if (line.y < visible.y0 || line.y > visible.y1 || line.x1 < visible.x0 || line.x0 > visible.x1) continue
    const top = (line.y - view.cy) * view.scale + size.h / 2
    // Sections side by side share row heights: one label per height.
    const slot = Math.round(top / 12)
    if (taken.has(slot)) continue
    taken.add(slot)
    placed.push({ key: `${line.section}|${line.row}`, row: line.row, top })
  }
  return (
    <div class="seat-rows" aria-hidden="true" data-testid="row-labels">
      {placed.map((label) => (
        <span key={label.key} data-row={label.row} style={{ top: `${label.top}px` }}>
          {label.row}
        </span>
      ))}
    </div>
  )
}
