// The mini-map: the whole venue small, its sections shaded by what is left, and a frame where the big map is
// looking; a tap on it moves the view there. Pointer only (keyboard users move seat by seat).
import type { Box, Geometry } from './geometry.ts'
import type { SectionSales } from './sections-layer.tsx'

const WIDTH = 96

export function MiniMap(props: {
  geometry: Geometry
  sales: Map<string, SectionSales>
  visible: Box
  onCentre: (x: number, y: number) => void
}) {
  const { bounds } = props.geometry
  const w = bounds.x1 - bounds.x0
  const h = bounds.y1 - bounds.y0
  const height = Math.min(120, (WIDTH * h) / w)
  const frame = {
    x0: Math.max(bounds.x0, props.visible.x0),
    y0: Math.max(bounds.y0, props.visible.y0),
    x1: Math.min(bounds.x1, props.visible.x1),
    y1: Math.min(bounds.y1, props.visible.y1),
  }
  return (
    <svg
      class="mini-map"
      data-testid="mini-map"
      aria-hidden="true"
      width={WIDTH}
      height={height}
      viewBox={`${bounds.x0} ${bounds.y0} ${w} ${h}`}
      onClick={(event) => {
        const rect = (event.currentTarget as SVGSVGElement).getBoundingClientRect()
        const scale = Math.max(w / rect.width, h / rect.height)
        const offsetX = (rect.width * scale - w) / 2
        const offsetY = (rect.height * scale - h) / 2
        props.onCentre(
          bounds.x0 - offsetX + (event.clientX - rect.left) * scale,
          bounds.y0 - offsetY + (event.clientY - rect.top) * scale,
        )
      }}
    >
      {props.geometry.sections.map((section) => (
        <rect
          key={section.name}
          x={section.box.x0}
          y={section.box.y0}
          width={section.box.x1 - section.box.x0}
          height={section.box.y1 - section.box.y0}
          class={
            (props.sales.get(section.name)?.free ?? 0) > 0 ? 'mini-section' : 'mini-section mini-sold-out'
          }
        />
      ))}
      <rect
        data-testid="mini-map-frame"
        class="mini-frame"
        x={frame.x0}
        y={frame.y0}
        width={Math.max(0, frame.x1 - frame.x0)}
        height={Math.max(0, frame.y1 - frame.y0)}
        vector-effect="non-scaling-stroke"
      />
    </svg>
  )
}
